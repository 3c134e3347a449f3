"""``makemessages`` that also extracts the core's ``translate("...")`` calls."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=translate"]
