"""Switch off the seed rule that made สำนักการโยธา responsible for lighting in เขตราชเทวี.

It was learnt from 6 tickets (the department acted on 5, the district office on 4). The
learner now makes a specialist responsible only when the lower bound of its share is
above the district office's share (issue 14); on so few tickets it is invited beside the
district office instead. Only the seed's own rule is switched off (an administrator's
rewritten reason keeps it); `pracha seed-routing --commit` then adds the invitation.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SEED_TEXT = "acted on 5 of 6 แสงสว่าง tickets in เขตราชเทวี"


def retire(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RoutingRule = apps.get_model("agencies", "RoutingRule")
    RoutingRule.objects.filter(
        target="agency",
        category="lighting",
        district="ราชเทวี",
        agency__code="bma-works",
        reason__contains=SEED_TEXT,
        is_active=True,
    ).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0005_officer_display_name")]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
