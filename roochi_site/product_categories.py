"""The product categories a form may ask about (issue 17): a visitor who came from a
category's page finds it chosen as the topic of their Information Request.

The categories belong to pages and the form to inquiries, one layer, neither importing
the other; so pages registers here, at ``ready()``, a function giving the categories
the public may see now (published, their time come), and inquiries asks it. With none
registered there are no categories to offer, and the forms ask for a topic only.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProductCategory:
    slug: str
    name: str


PublishedCategories = Callable[[], Iterable[tuple[str, str]]]
_published: list[PublishedCategories] = []


def product_categories_register(published: PublishedCategories) -> None:
    """``published()`` gives (slug, name) of each category the public may see now, in
    the order the public sees them. Registering again replaces it."""
    _published[:] = [published]


def product_categories_published() -> list[ProductCategory]:
    return [ProductCategory(slug=slug, name=name)
            for published in _published for slug, name in published()]
