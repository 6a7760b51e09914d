"""SHA digests from Python's built-in hash modules.

Importing ``hashlib`` loads OpenSSL, which every command that hashes anything (the index keys
files by their git blob id) would pay at start-up; the built-in modules are small. A Python built
without them falls back to ``hashlib``.
"""

from __future__ import annotations

try:
    from _sha1 import sha1
except ImportError:
    from hashlib import sha1
try:
    from _sha2 import sha256  # Python 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256


def sha1_hex(data: bytes) -> str:
    return sha1(data).hexdigest()


def sha256_hex(data: bytes) -> str:
    return sha256(data).hexdigest()
