from django import template

from roochi_site.form_markup import field_markup

register = template.Library()
register.filter("field_markup", field_markup)
