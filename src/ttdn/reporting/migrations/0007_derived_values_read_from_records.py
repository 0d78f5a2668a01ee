"""Derived marks are no longer stored: the tracking table reads them from the records that prove them (an
approved plan, an accepted report, ...), each with its evidence. The marks an approved plan used to write
are removed; the plan itself now gives the same mark, linked to it."""

from django.db import migrations


def remove_stored_derived(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("reporting", "TrackingValue").objects.filter(origin="derived").delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_vietnamese_names")]

    operations = [migrations.RunPython(remove_stored_derived, migrations.RunPython.noop)]
