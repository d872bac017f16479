import factory

from privacy.models import Disclosure, LegalBasis, ObtainedInformation, Person, Recipient


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    email = factory.Sequence(lambda n: f"person{n}@example.com")


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    name = factory.Sequence(lambda n: f"Coastline Freight {n}")
    kind = Recipient.Kind.SHIPPING
    receives = "Name and delivery address"
    purpose = "To deliver the orders our clients place."


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclosure

    recipient = factory.SubFactory(RecipientFactory)
    person = factory.SubFactory(PersonFactory)
    purpose = "Shipping order 1042"
    legal_basis = LegalBasis.CONTRACT


class ObtainedInformationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObtainedInformation

    source = factory.SubFactory(RecipientFactory, kind=Recipient.Kind.CREDIT_BUREAU)
    person = factory.SubFactory(PersonFactory)
    kind = ObtainedInformation.Kind.CREDIT_CHECK
    purpose = "Opening a trade account"
    legal_basis = LegalBasis.LEGITIMATE_INTEREST
