#!/usr/bin/env bash
# Tests read the PDFs the API prints (prescriptions, OPD cards, receipts) as a person would:
# pdftotext for the words, pdftoppm for a picture of the page. Both come from Debian's
# poppler-utils, installed here with apt when missing.
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
  echo "installing poppler-utils (apt-get)" >&2
  $SUDO apt-get install -y poppler-utils >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y poppler-utils >&2; }
fi
