from django.core.management.base import BaseCommand, CommandError

from cadence.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME and print it as the last line (only its hash is "
        "stored). --revoke PREFIX revokes a token instead; --list shows a user's tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token starting so")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {user.username!r} is not active.")
        if options["list"]:
            for token in user.api_tokens.order_by("created_at"):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                self.stdout.write(f"{token.token_prefix}  {state}  {token.name}")
            return
        if options["revoke"]:
            tokens = user.api_tokens.filter(
                token_prefix__startswith=options["revoke"][:12], revoked_at__isnull=True
            )
            if not tokens:
                raise CommandError("No active token of that user starts so.")
            for token in tokens:
                token.revoke()
            self.stdout.write(f"Revoked {len(tokens)} token(s).")
            return
        _, raw = ApiToken.issue(user, name=options["name"])
        self.stdout.write(f"New API token for {user.username} (send as 'Authorization: Bearer …'):")
        self.stdout.write(raw)
