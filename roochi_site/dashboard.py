"""The staff home page's panels: what is waiting, counted, each count a link to the
list that shows those rows.

roochi_site imports no app, so the apps that hold the work (inquiries, privacy,
mailings) register a panel here at ``ready()``. A panel shows only to staff who hold
its permission (P7: a count of privacy requests is not for someone who may not see
them); a count is one aggregate query for the panel, never a query per row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.http import HttpRequest


@dataclass(frozen=True)
class DashboardCount:
    label: str
    number: int
    link: str
    # Past its deadline: the page says so in words, not only in colour.
    overdue: bool = False
    # Extra words after the number ("the first deadline: 3 December").
    note: str = ""
    # Shown only to those with this permission too, in a panel of several models.
    permission: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    title: str
    counts: list[DashboardCount]
    # A template drawn under the counts (a chart and its table), with its context.
    template_name: str = ""
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PanelRegistration:
    permissions: tuple[str, ...]  # "app_label.codename", any of them
    build: Callable[[HttpRequest], DashboardPanel]
    order: int


_panels: dict[str, PanelRegistration] = {}


def dashboard_panel_register(name: str, build: Callable[[HttpRequest], DashboardPanel], *,
                             permission: str | tuple[str, ...], order: int = 50) -> None:
    """Show ``build(request)`` on the staff home page to those with ``permission``
    (or any of several; a count's own permission narrows it further), lowest
    ``order`` first. Registering a name again replaces it."""
    permissions = (permission,) if isinstance(permission, str) else tuple(permission)
    _panels[name] = PanelRegistration(permissions=permissions, build=build, order=order)


def dashboard_panels(request: HttpRequest) -> list[DashboardPanel]:
    """The panels this staff member may see, each with the counts they may see."""
    user, shown = request.user, []
    for registration in sorted(_panels.values(), key=lambda panel: panel.order):
        if not any(user.has_perm(permission) for permission in registration.permissions):
            continue
        panel = registration.build(request)
        counts = [count for count in panel.counts
                  if not count.permission or user.has_perm(count.permission)]
        if counts:
            shown.append(replace(panel, counts=counts))
    return shown
