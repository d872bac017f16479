from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from communications.delivery_rule import delivery_rule_register
        from communications.inbox import inbound_route_register
        from communications.mailings import mailing_kind_register
        from communications.models import OutboundMail
        from communications.task_recovery import recoverable_task_register
        from privacy import checks  # noqa: F401 (registers the system check)
        from privacy.dashboard import privacy_requests_panel
        from privacy.inbox import unsubscribe_route
        from privacy.models import Person, PrivacyRequest
        from privacy.policy import policy_page_state
        from privacy.services.mail_rule import outbound_mail_allowed
        from privacy.services.people import staff_access_record
        from privacy.services.policy_choices import (
            POLICY_CHANGE_KIND,
            policy_change_audience,
            policy_change_message,
        )
        from privacy.tasks import privacy_request_erasure_finish_task
        from roochi_site import personal_data
        from roochi_site.admin import staff_access_recorder_register
        from roochi_site.change_history import history_track
        from roochi_site.dashboard import dashboard_panel_register
        from roochi_site.page_cache import page_cache_vary_on

        personal_data.autodiscover()
        # What the public pages show of the policy is part of their cache key (P9).
        page_cache_vary_on("policy", policy_page_state)
        # Every mail asks the person's choices before it goes (P6).
        delivery_rule_register(outbound_mail_allowed)
        # P9: a material change or a new use is mailed with a choice.
        mailing_kind_register(POLICY_CHANGE_KIND, category=OutboundMail.Category.POLICY_CHANGE,
                              audience=policy_change_audience, message=policy_change_message)
        # Finishing an erasure runs again if its worker died (P8); running it twice
        # only erases again.
        recoverable_task_register(privacy_request_erasure_finish_task)
        # Every admin page of personal data logs the staff member's look (P7).
        staff_access_recorder_register(staff_access_record)
        # P6: "unsubscribe" in a reply's subject, before any other route reads it.
        inbound_route_register("unsubscribe", unsubscribe_route, order=10)
        # Who changed what of a person or a request, and when (P7).
        history_track(Person, fields=("email", "status", "newsletter_opt_out",
                                      "communication_opt_out"))
        history_track(PrivacyRequest, fields=("status", "assigned_to", "email", "wrong",
                                              "should_be"))
        # The staff home page: confirmed requests and their legal deadline (P8).
        dashboard_panel_register("privacy-requests", privacy_requests_panel,
                                 permission="privacy.view_privacyrequest", order=20)
