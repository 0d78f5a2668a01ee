"""Counts of the originals a day (``DayCount``), by body, topic, sentiment and language, for the attention chart
and the page's breakdowns; filled from the stories already kept (``services.rebuild_day_counts``). On SQLite,
an FTS5 index of the folded text (trigram tokenizer: substrings of 3 characters or more), kept by triggers,
which the search reads (``selectors.filtered``)."""

import django.db.models.deletion
from django.db import migrations, models




def fill(apps, schema_editor) -> None:  # noqa: ANN001
    from ttdn.monitoring.services import rebuild_day_counts

    rebuild_day_counts(
        apps.get_model("monitoring", "Item"), apps.get_model("monitoring", "ItemTag"), apps.get_model("monitoring", "DayCount"),
        apps.get_model("monitoring", "MonthCount"),
    )


FTS = "monitoring_item_fts"
FTS_SQL = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='monitoring_item', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON monitoring_item BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON monitoring_item BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON monitoring_item BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]


def add_fts(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL: the trigram index of migration 0002
    for statement in FTS_SQL:
        schema_editor.execute(statement)


def drop_fts(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0003_entry_runs'),
        ('orgs', '0002_vietnamese_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='DayCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='ngày')),
                ('topic', models.CharField(blank=True, max_length=40, verbose_name='chủ đề')),
                ('sentiment', models.CharField(choices=[('positive', 'Tích cực'), ('neutral', 'Trung tính'), ('negative', 'Tiêu cực')], max_length=10, verbose_name='sắc thái')),
                ('language', models.CharField(blank=True, max_length=8, verbose_name='ngôn ngữ')),
                ('n', models.IntegerField(default=0, verbose_name='số tin')),
                ('body', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'số tin theo ngày',
                'verbose_name_plural': 'số tin theo ngày',
                'indexes': [
                    models.Index(fields=['body', 'topic', 'day'], include=('sentiment', 'language', 'n'), name='daycount_key'),
                    models.Index(fields=['topic', 'day'], include=('body', 'sentiment', 'language', 'n'), name='daycount_topic_day'),
                ],
            },
        ),
        migrations.CreateModel(
            name='MonthCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='tháng')),
                ('topic', models.CharField(blank=True, max_length=40, verbose_name='chủ đề')),
                ('sentiment', models.CharField(choices=[('positive', 'Tích cực'), ('neutral', 'Trung tính'), ('negative', 'Tiêu cực')], max_length=10, verbose_name='sắc thái')),
                ('language', models.CharField(blank=True, max_length=8, verbose_name='ngôn ngữ')),
                ('n', models.IntegerField(default=0, verbose_name='số tin')),
                ('body', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit', verbose_name='đơn vị')),
            ],
            options={
                'verbose_name': 'số tin theo tháng',
                'verbose_name_plural': 'số tin theo tháng',
                'indexes': [models.Index(fields=['body', 'topic', 'month'], include=('sentiment', 'language', 'n'), name='monthcount_key'), models.Index(fields=['topic', 'month'], include=('body', 'sentiment', 'language', 'n'), name='monthcount_topic_month')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(add_fts, drop_fts),
    ]
