"""Fresh (or seeded, reproducible) ids and timestamps in each service's own format."""

from __future__ import annotations

import datetime as _dt
import random
import string

__all__ = ["Gen"]

_UTC = _dt.timezone.utc
# Seeded base times fall in 2024 so that reproducible events look recent but never change.
_SEED_EPOCH = _dt.datetime(2024, 1, 1, tzinfo=_UTC)
_SEED_SPAN_MS = 366 * 24 * 3600 * 1000
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Gen:
    """Source of ids and timestamps for one generated event.

    Parameters
    ----------
    seed
        ``None`` draws fresh random ids and uses the current time; an integer makes every id and
        timestamp a pure function of the seed (the base time is derived from it, too).
    """

    def __init__(self, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        if seed is None:
            now = _dt.datetime.now(_UTC)
            self.base = now.replace(microsecond=now.microsecond // 1000 * 1000)
        else:
            offset = self.rng.randrange(_SEED_SPAN_MS)
            self.base = _SEED_EPOCH + _dt.timedelta(milliseconds=offset)

    # ----------------------------------------------------------------- ids
    def uuid(self) -> str:
        """A random version-4 UUID in canonical form."""
        value = self.rng.getrandbits(128)
        value &= ~(0xF000 << 64)
        value |= 0x4000 << 64
        value &= ~(0xC000 << 48)
        value |= 0x8000 << 48
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def hex(self, length: int) -> str:
        """``length`` random lower-case hexadecimal digits."""
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def digits(self, length: int) -> str:
        """``length`` random decimal digits, the first one non-zero."""
        first = self.rng.choice("123456789")
        return first + "".join(self.rng.choice(string.digits) for _ in range(length - 1))

    def alnum(self, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        """``length`` random characters drawn from ``alphabet``."""
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def upper(self, length: int) -> str:
        """``length`` random upper-case letters and digits (AWS request-id style)."""
        return self.alnum(length, string.ascii_uppercase + string.digits)

    def lower(self, length: int) -> str:
        """``length`` random lower-case letters and digits (API id style)."""
        return self.alnum(length, string.ascii_lowercase + string.digits)

    def ip(self) -> str:
        """A documentation-range IPv4 address (RFC 5737), so it never names a real host."""
        prefix = self.rng.choice(("192.0.2", "198.51.100", "203.0.113"))
        return f"{prefix}.{self.rng.randrange(1, 255)}"

    # ---------------------------------------------------------- timestamps
    def time(self, offset_ms: int = 0) -> _dt.datetime:
        """The base time of this event, shifted by ``offset_ms`` milliseconds."""
        return self.base + _dt.timedelta(milliseconds=offset_ms)

    @staticmethod
    def epoch_ms(when: _dt.datetime) -> int:
        """Milliseconds since the Unix epoch."""
        return int(when.timestamp() * 1000 + 0.5)

    @staticmethod
    def epoch_s(when: _dt.datetime) -> int:
        """Whole seconds since the Unix epoch."""
        return int(when.timestamp())

    @staticmethod
    def iso(when: _dt.datetime) -> str:
        """ISO-8601 in UTC with seconds precision: ``2024-05-01T12:34:56Z`` (EventBridge)."""
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")

    @staticmethod
    def iso_ms(when: _dt.datetime) -> str:
        """ISO-8601 in UTC with milliseconds: ``2024-05-01T12:34:56.789Z`` (S3, SNS, SES)."""
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"

    @staticmethod
    def iso_offset(when: _dt.datetime) -> str:
        """ISO-8601 with an explicit ``+0000`` offset and milliseconds (CloudWatch alarms)."""
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}+0000"

    @staticmethod
    def apigw(when: _dt.datetime) -> str:
        """API Gateway's ``requestTime``: ``09/Apr/2015:12:34:56 +0000``."""
        month = _MONTHS[when.month - 1]
        return f"{when.day:02d}/{month}/{when.year}:{when.strftime('%H:%M:%S')} +0000"

    @staticmethod
    def rfc2822(when: _dt.datetime) -> str:
        """E-mail ``Date`` header style: ``Wed, 07 Oct 2015 12:34:56 +0000``."""
        day = _DAYS[when.weekday()]
        month = _MONTHS[when.month - 1]
        return f"{day}, {when.day:02d} {month} {when.year} {when.strftime('%H:%M:%S')} +0000"
