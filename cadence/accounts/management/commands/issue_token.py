from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cadence.accounts import services
from cadence.accounts.models import TokenScope, User
from cadence.accounts.validation import refusal_items


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME and print it as the last line (only its hash is "
        "stored). --scope full|read|diary|export (default full), --days N (default "
        "CADENCE_API_TOKEN_DAYS). A user enrolled in two-factor sign-in gives a current code "
        "with --otp CODE. --revoke PREFIX revokes a token instead; --list shows a user's tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--scope", default=TokenScope.FULL, choices=TokenScope.values, help="what it may do"
        )
        parser.add_argument("--days", type=int, default=None, help="days until it expires")
        parser.add_argument(
            "--otp", default="", help="the user's current two-factor code (MFA-enrolled users)"
        )
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
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else token.state
                self.stdout.write(
                    f"{token.token_prefix}  {state}  {token.scope}  "
                    f"expires {token.expires_at:%Y-%m-%d}  {token.name}"
                )
            return
        if options["revoke"]:
            tokens = user.api_tokens.filter(
                token_prefix__startswith=options["revoke"][:12], revoked_at__isnull=True
            )
            if not tokens:
                raise CommandError("No active token of that user starts so.")
            for token in tokens:
                services.api_token_revoke(token=token, actor=None)
            self.stdout.write(f"Revoked {len(tokens)} token(s).")
            return
        try:
            token, raw = services.api_token_issue(
                user=user,
                actor=None,
                name=options["name"],
                scope=options["scope"],
                days=options["days"],
                otp_code=options["otp"],
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(message for _f, message, _c in refusal_items(error))
            ) from error
        self.stdout.write(
            f"New API token for {user.username}, scope {token.scope}, expires "
            f"{token.expires_at:%Y-%m-%d} (send as 'Authorization: Bearer …'):"
        )
        self.stdout.write(raw)
