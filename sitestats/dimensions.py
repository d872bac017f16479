"""What a page view is counted by, derived from the request's headers. Runs in the
background writer, never in the request: ua-parser takes 0.1 to 0.5 ms a string."""

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from ua_parser import parse

UNKNOWN = "Unknown"
# ua-parser's device family for the crawlers and bots it knows.
CRAWLER_DEVICE = "Spider"
NO_BROWSER_STRING = "(no browser string)"


@dataclass(frozen=True)
class Agent:
    browser: str
    platform: str
    device: str
    # The bot's name when it is a known bot or crawler; then it is counted apart.
    bot: str = ""


def parser_load() -> None:
    """ua-parser compiles its few hundred patterns at its first parse: half a second
    of CPU, which the writer spends when it starts rather than in its first batch."""
    parse("Mozilla/5.0")


@functools.lru_cache(maxsize=4096)
def agent(user_agent: str) -> Agent:
    """Browser family, platform and device class of a User-Agent string. Cached: a few
    hundred strings make nearly all of a site's traffic."""
    if not user_agent.strip():
        # Browsers always send one; a request without is a script.
        return Agent(UNKNOWN, UNKNOWN, "Bot", bot=NO_BROWSER_STRING)
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else UNKNOWN
    platform = result.os.family if result.os else UNKNOWN
    device_family = result.device.family if result.device else ""
    if device_family == CRAWLER_DEVICE:
        return Agent(browser, platform, "Bot", bot=browser[:100])
    return Agent(browser[:100], platform[:100], device_class(user_agent, platform, device_family))


def device_class(user_agent: str, platform: str, device_family: str) -> str:
    """Desktop, mobile or tablet. ua-parser names the device, not its class: an iPad or
    a device called a tablet is one, and so is Android without "Mobile" (Google's rule
    for its tablets); "Mobi" anywhere is a phone (MDN's advice), as are iOS and
    Android otherwise."""
    if "iPad" in device_family or "Tablet" in device_family or "Kindle" in device_family:
        return "Tablet"
    if platform == "Android" and "Mobile" not in user_agent:
        return "Tablet"
    if "Mobi" in user_agent or platform in {"iOS", "Android"}:
        return "Mobile"
    return "Desktop" if platform != UNKNOWN else UNKNOWN


def referring_site(referer: str, own_hosts: set[str]) -> str:
    """The referring site's host name, only when it is another site: never the page,
    its path or its query, which may say what the visitor searched for."""
    try:
        parts = urlsplit(referer.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""
    if parts.scheme not in {"http", "https"} or not host or host in own_hosts:
        return ""
    return host[:253]
