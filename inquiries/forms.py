"""The two public forms, and the forms staff use on an inquiry's admin page."""

import re
import unicodedata

import phonenumbers
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from inquiries.models import TOPICS_BY_FORM, CannedReply, Form, ReplyChannel, Status, Topic
from inquiries.services import REFERENCE_ALPHABET, REFERENCE_LENGTH
from privacy.forms import PolicyNoticeMixin
from roochi_site.email_address import CanonicalEmailField
from roochi_site.forms import SpamGuardMixin, VisitorTextField
from roochi_site.product_categories import product_categories_published

# "Any script, accents, apostrophes and hyphens": letters and combining marks of
# every script, spaces, and the punctuation names really use.
NAME_PUNCTUATION = set(" '-.,\u2018\u2019\u2010")
# A link: a web address with a scheme or www., or a bare domain followed by a path.
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|ru|cn|xyz|top)/\S*",
    re.IGNORECASE,
)
# Order numbers as printed on an order confirmation: 5 to 10 digits, optionally
# after up to three letters and a hyphen (12345678, SO-12345678).
ORDER_NUMBER = re.compile(r"^(?:[A-Z]{1,3}-?)?\d{5,10}$")
# A product category is offered as a more precise choice of the topic Products, its
# value the topic and the category's slug: one question, and no way to pair a
# category with another topic.
CATEGORY_SEPARATOR = ":"


def topic_with_category(slug: str) -> str:
    return f"{Topic.PRODUCTS}{CATEGORY_SEPARATOR}{slug}"


class InquiryForm(SpamGuardMixin, PolicyNoticeMixin, forms.Form):
    """What both forms ask. Each error says what to do, next to its field."""

    purpose: str = ""
    # Drawn out of sight by templates/includes/form_fields.html.

    name = VisitorTextField(max_length=200, label="Your name",
                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = CanonicalEmailField(
        max_length=254, label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    phone = VisitorTextField(
        max_length=40, required=False, label="Phone number (optional)",
        help_text="Needed if you would like us to call you. Include the country code "
        "if you are outside the United States.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    reply_by = forms.ChoiceField(
        choices=ReplyChannel.choices, initial=ReplyChannel.EMAIL, widget=forms.RadioSelect,
        label="How would you like us to reply?",
    )
    company = VisitorTextField(max_length=200, required=False, label="Company (optional)",
                        widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    topic = forms.ChoiceField(label="Topic", error_messages={
        "invalid_choice": "Choose a topic from the list: the one sent is not, or no longer, "
        "one we offer."})
    message = VisitorTextField(
        max_length=5000, multiline=True, label="Your message",
        # Said next to the field: a browser cuts pasted text at the limit silently.
        help_text="Up to 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    newsletter = forms.BooleanField(
        required=False, label="Send me the Roochi Traders newsletter (optional).",
        help_text="We email you a link first: it starts only once you confirm.",
    )
    other_purposes = forms.BooleanField(
        required=False,
        label="You may use my details for purposes not directly related to this request "
        "(optional).",
    )

    error_messages = {
        "name_characters": "Enter your name in letters; spaces, apostrophes, hyphens and "
        "full stops are fine.",
        "phone_invalid": "Enter a phone number we can call, like (323) 722-5592 or "
        "+44 20 7946 0958.",
        "phone_needed": "Enter a phone number so that we can call you, or choose a reply "
        "by email.",
        "too_many_links": "Please include no more than {max} links in your message.",
    }

    def __init__(self, *args, topic: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The categories the public may see now; a post naming another is refused.
        self.category_names = ({category.slug: category.name
                                for category in product_categories_published()}
                               if Topic.PRODUCTS in TOPICS_BY_FORM[self.purpose] else {})
        self.fields["topic"].choices = self.topic_choices()
        # A topic the link named (a category's page names its category) is chosen in
        # advance, if this form offers it; a category it does not offer leaves the topic.
        for requested in (topic, topic.partition(CATEGORY_SEPARATOR)[0]):
            if requested and self.fields["topic"].valid_value(requested):
                self.fields["topic"].initial = requested
                break
        self.category_name = ""

    def topic_choices(self) -> list:
        choices = [("", "Choose a topic")]
        for topic in TOPICS_BY_FORM[self.purpose]:
            if topic == Topic.PRODUCTS and self.category_names:
                # One <optgroup>: products in general, or one of our categories.
                choices.append((topic.label, [
                    (topic.value, f"{topic.label} in general"),
                    *[(topic_with_category(slug), name)
                      for slug, name in self.category_names.items()]]))
            else:
                choices.append((topic.value, topic.label))
        return choices

    def clean_name(self):
        name = self.cleaned_data["name"]
        letters = [char for char in name if unicodedata.category(char)[0] == "L"]
        allowed = all(
            unicodedata.category(char)[0] in {"L", "M"} or char in NAME_PUNCTUATION
            for char in name
        )
        if not letters or not allowed:
            raise forms.ValidationError(self.error_messages["name_characters"],
                                        code="name_characters")
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""
        try:
            number = phonenumbers.parse(phone, "US")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.error_messages["phone_invalid"],
                                        code="phone_invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_topic(self) -> str:
        topic, _separator, slug = self.cleaned_data["topic"].partition(CATEGORY_SEPARATOR)
        # Among the choices (checked by the field), so a category published now.
        self.category_name = self.category_names.get(slug, "")
        return topic

    def clean_message(self):
        message = self.cleaned_data["message"]
        if len(LINK.findall(message)) > settings.INQUIRY_MAX_LINKS:
            raise forms.ValidationError(
                self.error_messages["too_many_links"].format(max=settings.INQUIRY_MAX_LINKS),
                code="too_many_links",
            )
        return message

    def clean(self):
        cleaned_data = super().clean()
        if (cleaned_data.get("reply_by") == ReplyChannel.PHONE and not cleaned_data.get("phone")
                and "phone" not in self.errors):
            self.add_error("phone", forms.ValidationError(
                    self.error_messages["phone_needed"], code="phone_needed"))
        return cleaned_data

    def submission(self) -> dict:
        """The service's keyword arguments, from the cleaned data."""
        data = self.cleaned_data
        return {
            "purpose": self.purpose,
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "reply_by": data["reply_by"],
            "company": data["company"],
            "topic": data["topic"],
            "category": self.category_name,
            "order_number": data.get("order_number", ""),
            "message": data["message"],
            "newsletter": data["newsletter"],
            "newsletter_wording": str(self.fields["newsletter"].label),
            "other_purposes": data["other_purposes"],
            "policy_version": self.policy_version,
            "form_token": data["form_token"],
        }


class InformationRequestForm(InquiryForm):
    purpose = Form.INFORMATION


class SupportRequestForm(InquiryForm):
    purpose = Form.SUPPORT

    order_number = VisitorTextField(
        max_length=20, required=False, label="Order number (optional)",
        help_text="On your order confirmation, for example SO-12345678.",
    )

    field_order = ["name", "email", "phone", "reply_by", "company", "topic", "order_number",
                   "message", "newsletter", "other_purposes"]

    def clean_order_number(self):
        order_number = self.cleaned_data["order_number"].replace(" ", "").upper()
        if order_number and not ORDER_NUMBER.match(order_number):
            raise forms.ValidationError(
                "An order number looks like 12345678 or SO-12345678; you will find it on "
                "your order confirmation.", code="order_number_format")
        return order_number


FORMS = {Form.INFORMATION: InformationRequestForm, Form.SUPPORT: SupportRequestForm}


# --- Staff, on an inquiry's admin page ---------------------------------------------


class ReplyForm(forms.Form):
    """A reply on one channel. When the person asked for the other channel, staff must
    tick a box to confirm (P5); otherwise the box is not there."""

    confirm_other_channel = forms.BooleanField(
        required=False,
        label="I know this person asked for the other channel, and reply this way anyway.",
    )

    def __init__(self, *args, against_preference: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not against_preference:
            del self.fields["confirm_other_channel"]


class EmailReplyForm(ReplyForm):
    body = forms.CharField(label="Reply", max_length=20000, widget=forms.Textarea(
        attrs={"rows": 8}))


class PhoneReplyForm(ReplyForm):
    called_at = forms.DateTimeField(label="When the call took place",
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    summary = forms.CharField(label="What was said", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def clean_called_at(self):
        called_at = self.cleaned_data["called_at"]
        if called_at > timezone.now():
            raise forms.ValidationError("A call cannot be logged before it took place.")
        return called_at


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Internal note", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Not sent to the person, but part of the copy of their data they may ask "
        "for (their right of access): write only what you would show them.")


class HandlingForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    assigned_to = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Assigned to",
        empty_label="Nobody",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = get_user_model().objects.filter(
            is_staff=True, is_active=True
        ).order_by("username")


class CannedReplyChoiceForm(forms.Form):
    """Which canned reply to start the reply from: a GET of the inquiry's page, so it
    works without JavaScript (the page comes back with the reply box filled in)."""

    canned_reply = forms.ModelChoiceField(
        queryset=CannedReply.objects.none(), label="Start from a canned reply",
        empty_label="Choose one", error_messages={
            "invalid_choice": "That canned reply no longer exists: choose another one."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canned_reply"].queryset = CannedReply.objects.all()


REFERENCE_TYPED = re.compile(rf"^(?:RT)?-?([{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}})$")


class StatusLinkForm(SpamGuardMixin, PolicyNoticeMixin, forms.Form):
    """The status page's question: a reference and the address it was sent from. The
    answer is the same whether or not they match (inquiries.services)."""

    reference = VisitorTextField(
        max_length=20, label="Your reference",
        help_text="As in our acknowledgement, e.g. RT-7KQ2MX.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
        error_messages={"required": "Enter the reference of your request, e.g. RT-7KQ2MX."},
    )
    email = CanonicalEmailField(
        max_length=254, label="Email address",
        help_text="The address you sent the request from. We mail the link to it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address like name@example.com.",
                        "required": "Enter the email address you sent the request from."},
    )

    def clean_reference(self) -> str:
        # Read back from a mail or over the phone: any case, spaces, with or without RT-.
        typed = re.sub(r"\s+", "", self.cleaned_data["reference"]).upper()
        match = REFERENCE_TYPED.match(typed)
        if match is None:
            raise forms.ValidationError(
                "A reference is RT- and six letters and digits, e.g. RT-7KQ2MX.",
                code="reference")
        return f"RT-{match[1]}"
