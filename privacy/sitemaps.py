from roochi_site.sitemaps import ViewSitemap


class PrivacySitemap(ViewSitemap):
    names = ("privacy:policy", "privacy:archive", "privacy:request_new", "privacy:recipients")
