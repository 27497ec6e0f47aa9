"""Helper process for phone.e164_batch: JSON [[text, region], …] in, [[e164, valid], …] out."""

from __future__ import annotations

import json
import sys

from crm_quality.standardize.phone import e164_from_text


def main() -> None:
    pairs = json.loads(sys.stdin.buffer.read())
    results = [e164_from_text(text, region) for text, region in pairs]
    sys.stdout.buffer.write(json.dumps(results, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main()
