"""What happens to a survey's entries: sent by a visitor, counted, exported, drawn,
purged. Every function works in one transaction."""

import csv
import random
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from communications.models import OutboundMail
from communications.services import mail_queue
from privacy import registry
from privacy.models import Disclosure, LegalBasis, PolicyVersion, StaffAccess
from privacy.services.people import person_for_email, staff_access_record
from roochi_site.email_address import email_canonical
from roochi_site.spreadsheet import spreadsheet_safe
from roochi_site.submission_limit import submission_count_increment
from surveys.models import CONTACT_FIELDS, Answer, Draw, Entry, Question, Survey


class SurveyClosedError(Exception):
    """The survey is not open today: nothing is stored."""


def entry_submit(
    *,
    survey: Survey,
    name: str,
    email: str,
    shipping_address: str,
    zip_code: str,
    answers: dict[Question, list[str]],
    share_with_intermediary: bool,
    policy_version: PolicyVersion,
    client_address: str,
) -> Entry | None:
    """Store an entry and its answers, all or nothing; None when this address already
    has an entry in this survey (one per person: the database decides, so two posts
    at once cannot both get in, and the first entry stands).

    P12: the entry is shared with the survey's intermediary only when the person
    ticked the box naming it, and that sharing is recorded as a disclosure (P10) in
    the same transaction. Raises SurveyClosedError when the survey is not open today,
    SubmissionLimitReachedError past the hourly limit of the client's address.
    """
    email = email_canonical(email) if email else ""
    share = share_with_intermediary and survey.intermediary_id is not None and bool(email)
    if not survey.is_open:
        raise SurveyClosedError
    now = timezone.now()
    submission_count_increment(scope="surveys", client_address=client_address,
                               limit=settings.SURVEY_ENTRY_LIMIT_PER_HOUR, at=now)
    with transaction.atomic():
        entry = Entry(survey=survey, policy_version=policy_version, collected_at=now,
                      purpose=survey.kind, name=name, email=email,
                      shipping_address=shipping_address, zip_code=zip_code,
                      share_with_intermediary=share)
        try:
            # The disclosure and the entry stand or fall together: a second entry from
            # the address discloses nothing either.
            with transaction.atomic():
                if share:
                    entry.disclosure = Disclosure.objects.create(
                        recipient=survey.intermediary, person=person_for_email(email=email),
                        purpose=f"{survey.get_kind_display()}: {survey.title}"[:200],
                        legal_basis=LegalBasis.CONSENT,
                        details="The entry (contact details and answers), shared with the "
                        "person's consent, given on the form.")
                entry.save(force_insert=True)
        except IntegrityError as error:
            constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
            if constraint == "entry_one_per_address":
                return None
            raise
        Answer.objects.bulk_create(Answer(entry=entry, question=question, value=value)
                                   for question, values in answers.items()
                                   for value in values)
    return entry


# --- Results --------------------------------------------------------------------------

TEXT_KINDS = (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    counts: list[tuple[str, int]]  # for choices and ratings
    texts: list[str]  # for text answers


def survey_results(survey: Survey) -> list[QuestionResult]:
    """Counts per choice (every choice, those nobody chose too) and rating, and the
    text answers, question by question."""
    questions = list(survey.questions.all())
    counted = Counter()
    for question_id, value, count in (Answer.objects.filter(question__survey=survey)
                                      .exclude(question__kind__in=TEXT_KINDS)
                                      .values_list("question", "value")
                                      .annotate(count=Count("pk")).order_by()):
        counted[question_id, value] = count
    texts: dict[int, list[str]] = {}
    for question_id, value in (Answer.objects.filter(question__survey=survey,
                                                     question__kind__in=TEXT_KINDS)
                               .order_by("entry__collected_at", "pk")
                               .values_list("question", "value")):
        texts.setdefault(question_id, []).append(value)
    results = []
    for question in questions:
        options = ([str(n) for n in range(1, 6)] if question.kind == Question.Kind.RATING
                   else question.choice_list())
        # A choice renamed since it was answered still counts, under its old words.
        others = sorted(value for (question_id, value) in counted
                        if question_id == question.pk and value not in options)
        results.append(QuestionResult(
            question=question,
            counts=[(option, counted[question.pk, option]) for option in [*options, *others]]
            if question.kind not in TEXT_KINDS else [],
            texts=texts.get(question.pk, [])))
    return results


def entries_per_day(survey: Survey) -> list[tuple[date, int]]:
    return list(survey.entries.annotate(day=TruncDate("collected_at"))
                .values_list("day").annotate(count=Count("pk")).order_by("day"))


def survey_export_csv(*, survey: Survey, exported_by: AbstractBaseUser, stream: IO[str]) -> int:
    """Write the survey's entries as CSV, one row an entry, and record the export in
    the staff access record (P7); the number of rows."""
    with transaction.atomic():
        questions = list(survey.questions.all())
        contact = [name for name in CONTACT_FIELDS if name in survey.asked()]
        writer = csv.writer(stream)
        writer.writerow(["entry", "sent", *contact, *(q.text for q in questions),
                         "shared with", "won"])
        rows = 0
        entries = registry.excluding_inactive(survey.entries.order_by("pk")).prefetch_related(
            "answers")
        for entry in entries:
            by_question: dict[int, list[str]] = {}
            for answer in entry.answers.all():
                by_question.setdefault(answer.question_id, []).append(answer.value)
            writer.writerow([spreadsheet_safe(value) for value in [
                entry.pk, timezone.localtime(entry.collected_at).isoformat(timespec="minutes"),
                *(getattr(entry, name) for name in contact),
                *("; ".join(by_question.get(q.pk, [])) for q in questions),
                survey.intermediary.name if entry.share_with_intermediary else "",
                "yes" if entry.won else ""]])
            rows += 1
        staff_access_record(user=exported_by, action=StaffAccess.Action.EXPORT,
                            what=f"{rows} entries of survey {survey.pk} as CSV")
    return rows


# --- The draw -------------------------------------------------------------------------

def winners_drawn(*, seed: str, eligible_entry_ids: list[int], count: int) -> list[int]:
    """The draw itself, repeatable by anyone with its record: the eligible ids in
    ascending order, `count` of them sampled by Python's `random.Random(seed)`."""
    ordered = sorted(eligible_entry_ids)
    return random.Random(seed).sample(ordered, min(count, len(ordered)))  # noqa: S311 -- repeatable on purpose


def contest_draw(*, survey: Survey, by: AbstractBaseUser, seed: str | None = None) -> Draw:
    """Draw a closed contest's winners among its eligible entries (deactivated people
    are not), record the draw, mark the winners and queue each one's mail (the mail
    rule decides at delivery). Raises ValidationError when it cannot be drawn."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.is_contest:
            raise ValidationError("Only a contest has winners to draw.", code="not_contest")
        if not survey.has_closed:
            raise ValidationError(
                f"The contest is open until the end of {survey.closes_on:%d %B %Y}: draw "
                "the winners once it has closed.", code="still_open")
        if Draw.objects.filter(survey=survey).exists():
            raise ValidationError("The winners of this contest were drawn already.",
                                  code="drawn")
        eligible = list(registry.excluding_inactive(survey.entries.all())
                        .values_list("pk", flat=True))
        if not eligible:
            raise ValidationError("Nobody entered this contest: there is nobody to draw.",
                                  code="no_entries")
        seed = seed or secrets.token_hex(16)
        winner_ids = winners_drawn(seed=seed, eligible_entry_ids=eligible,
                                   count=survey.winners)
        draw = Draw.objects.create(survey=survey, seed=seed,
                                   eligible_entry_ids=sorted(eligible),
                                   winner_entry_ids=winner_ids, drawn_by=by)
        for entry in Entry.objects.filter(pk__in=winner_ids):
            entry.won = True
            entry.winner_mail = mail_queue(
                to=entry.email, subject=f"You won: {survey.title}",
                template_name="surveys/mail/winner.txt",
                context={"survey": survey, "entry": entry},
                # Their answer to their own entry (P6: also after a later newsletter stop).
                category=OutboundMail.Category.REPLY, purpose="contest-winner",
                answers_request_of=entry.collected_at)
            entry.save(update_fields=["won", "winner_mail"])
    return draw


# --- Retention ------------------------------------------------------------------------

def entries_purge(*, today: date | None = None, dry_run: bool = False) -> int:
    """Erase entries kept past their time (EntryQuerySet.past_retention), with their
    answers and the winners' mail, through the registry; the number erased. A draw
    keeps its ids, so it can still be repeated."""
    with transaction.atomic():
        entries = Entry.objects.past_retention(today).select_for_update()
        ids = list(entries.values_list("pk", flat=True))
        if dry_run or not ids:
            return len(ids)
        mails = list(Entry.objects.filter(pk__in=ids).exclude(winner_mail=None)
                     .values_list("winner_mail", flat=True))
        registry.erase_rows(OutboundMail.objects.filter(pk__in=mails))
        registry.erase_rows(Answer.objects.filter(entry__in=ids))
        registry.erase_rows(Entry.objects.filter(pk__in=ids))
    return len(ids)
