"""Notifications move to the notices app (every app's services create them now): rows are copied, then the
old table goes."""

from django.db import migrations


def copy_notifications(apps, schema_editor):  # noqa: ANN001, ANN201
    old = apps.get_model("tasks", "Notification")
    new = apps.get_model("notices", "Notice")
    for n in old.objects.all().iterator():
        notice = new.objects.create(
            user_id=n.user_id, kind="reminder", message=n.message, url=n.url, read_at=n.read_at
        )
        new.objects.filter(pk=notice.pk).update(created_at=n.created_at)  # keep the date it was sent

class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_progress_done_on"),
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_notifications, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
