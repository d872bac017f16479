from roochi_site.sitemaps import ViewSitemap


class InquirySitemap(ViewSitemap):
    names = ("inquiries:information", "inquiries:support", "inquiries:status_ask")
