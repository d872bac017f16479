"""What changed between two policy versions, section by section, word by word (P9)."""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum

from privacy.models import PolicySection, PolicyVersion


class Mark(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


class SectionStatus(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class TextRun:
    mark: Mark
    text: str


@dataclass(frozen=True)
class SectionComparison:
    status: SectionStatus
    old: PolicySection | None
    new: PolicySection | None
    heading: list[TextRun] = field(default_factory=list)
    body: list[TextRun] = field(default_factory=list)

    @property
    def title(self) -> str:
        return (self.new or self.old).heading

    @property
    def anchor(self) -> str:
        # Sections are numbered in the newer version; removed ones by their old place.
        if self.new is not None:
            return f"change-{self.new.position}"
        return f"removed-{self.old.position}"

    @property
    def heading_changed(self) -> bool:
        both = self.old is not None and self.new is not None
        return both and not same_words(self.old.heading, self.new.heading)


@dataclass(frozen=True)
class PolicyComparison:
    old: PolicyVersion
    new: PolicyVersion
    sections: list[SectionComparison]

    def count(self, status: str) -> int:
        return sum(1 for section in self.sections if section.status == status)

    @property
    def changed_sections(self) -> list[SectionComparison]:
        return [s for s in self.sections if s.status != SectionStatus.UNCHANGED]

    @property
    def summary(self) -> dict[str, int]:
        return {status.value: self.count(status) for status in SectionStatus}


def _words(text: str) -> list[str]:
    # Each word with the spaces after it, so that joining the runs gives the text back.
    return re.findall(r"\s+|\S+\s*", text)


def same_words(old: str, new: str) -> bool:
    """Equal as a reader sees them: line endings and spacing do not count."""
    return old.split() == new.split()


# A word or two left in common between two changes ("a", "the ") only chops the
# change into pieces a reader must put back together; they are shown as changed.
SHORTEST_COMMON_RUN = 3


def text_diff(old: str, new: str) -> list[TextRun]:
    """The new text with what was removed and added marked, word by word."""
    old_words, new_words = _words(old), _words(new)
    runs: list[TextRun] = []
    removed: list[str] = []
    added: list[str] = []

    def add(mark: Mark, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if runs and runs[-1].mark == mark:
            runs[-1] = TextRun(mark, runs[-1].text + text)
        else:
            runs.append(TextRun(mark, text))

    def flush_change() -> None:
        add(Mark.REMOVED, removed)
        add(Mark.ADDED, added)
        removed.clear()
        added.clear()

    # Matched on the words alone: a change of spacing or line ending is no change.
    opcodes = SequenceMatcher(
        None, [word.strip() for word in old_words], [word.strip() for word in new_words],
        autojunk=False,
    ).get_opcodes()
    for index, (opcode, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        short = new_end - new_start < SHORTEST_COMMON_RUN
        between_changes = 0 < index < len(opcodes) - 1
        if opcode == "equal" and not (short and between_changes):
            flush_change()
            add(Mark.SAME, new_words[new_start:new_end])
        else:
            removed.extend(old_words[old_start:old_end])
            added.extend(new_words[new_start:new_end])
    flush_change()
    return runs


def _paired(old: PolicySection, new: PolicySection) -> SectionComparison:
    unchanged = same_words(old.heading, new.heading) and same_words(old.body, new.body)
    return SectionComparison(
        status=SectionStatus.UNCHANGED if unchanged else SectionStatus.CHANGED,
        old=old,
        new=new,
        heading=text_diff(old.heading, new.heading),
        body=text_diff(old.body, new.body),
    )


def policy_versions_compare(*, old: PolicyVersion, new: PolicyVersion) -> PolicyComparison:
    """Sections are matched by heading, in order; a section whose heading changed
    where another was expected is compared with it, text and heading."""
    old_sections = list(old.sections.all())
    new_sections = list(new.sections.all())
    matcher = SequenceMatcher(
        None,
        [" ".join(section.heading.split()) for section in old_sections],
        [" ".join(section.heading.split()) for section in new_sections],
        autojunk=False,
    )
    sections: list[SectionComparison] = []
    for opcode, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        olds, news = old_sections[old_start:old_end], new_sections[new_start:new_end]
        paired = len(olds) if opcode == "equal" else min(len(olds), len(news))
        sections.extend(_paired(a, b) for a, b in zip(olds[:paired], news[:paired], strict=True))
        sections.extend(
            SectionComparison(
                status=SectionStatus.REMOVED,
                old=section,
                new=None,
                heading=[TextRun(Mark.REMOVED, section.heading)],
                body=[TextRun(Mark.REMOVED, section.body)],
            )
            for section in olds[paired:]
        )
        sections.extend(
            SectionComparison(
                status=SectionStatus.ADDED,
                old=None,
                new=section,
                heading=[TextRun(Mark.ADDED, section.heading)],
                body=[TextRun(Mark.ADDED, section.body)],
            )
            for section in news[paired:]
        )
    return PolicyComparison(old=old, new=new, sections=sections)
