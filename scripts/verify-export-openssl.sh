#!/usr/bin/env bash
# Checks a privacy-counter export (PDF or CSV) against its .sig with OpenSSL 3
# alone, no privacy-counter code: see docs/inspectors.md for what is signed.
#
#   scripts/verify-export-openssl.sh FILE [--sig FILE.sig] (--key station.pub.pem | --fingerprint HEX)
#
# --key: the station's public key as `station-key` writes it (PEM).
# --fingerprint: the fingerprint printed on the PDF and at setup; the key is
#   then taken from the signed message and must hash to it.
# Exit 0 and "OK" only when the signature verifies under that key and the
# file's SM3 digest and size are the ones signed.
set -euo pipefail

fail() { echo "FAILED: $*" >&2; exit 1; }
usage() { echo "usage: $0 FILE [--sig FILE.sig] (--key KEY.pem | --fingerprint HEX)" >&2; exit 2; }

[ $# -ge 1 ] || usage
file=$1; shift
sig="$file.sig"; key=""; fingerprint=""
while [ $# -gt 0 ]; do
  case $1 in
    --sig) sig=${2:?}; shift 2 ;;
    --key) key=${2:?}; shift 2 ;;
    --fingerprint) fingerprint=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$key" ] || [ -n "$fingerprint" ] || usage
[ -f "$file" ] || fail "no file $file"
[ -f "$sig" ] || fail "no signature file $sig"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The signature file is JSON with one field per line; two of them matter.
field() { sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\([A-Za-z0-9+\/=]*\)\".*$/\1/p" "$sig"; }
grep -q '"format": "privacy-counter/export-signature/v2"' "$sig" || fail "not a v2 export signature file"
field message_base64 | openssl base64 -d -A > "$work/message"
field signature_der_base64 | openssl base64 -d -A > "$work/signature.der"
[ -s "$work/message" ] && [ -s "$work/signature.der" ] || fail "the signature file has no message or signature"

# A string or number field of the signed message (canonical JSON, one line).
signed() { grep -o "\"$1\":\\(\"[^\"]*\"\\|[0-9]*\\)" "$work/message" | head -n 1 | sed 's/^[^:]*://; s/"//g'; }

if [ -z "$key" ]; then
  # The key the message names, as SubjectPublicKeyInfo (id-ecPublicKey, curve SM2) in PEM.
  spki="3059301306072a8648ce3d020106082a811ccf5501822d034200$(signed public_key)"
  [[ $spki =~ ^[0-9a-f]{182}$ ]] || fail "the signed message has no SM2 public key"
  printf "$(printf '%s' "$spki" | sed 's/../\\x&/g')" > "$work/key.der"
  openssl pkey -pubin -inform DER -in "$work/key.der" -out "$work/key.pem" 2>/dev/null || fail "the signed public key is not a valid SM2 key"
  key="$work/key.pem"
fi

# Fingerprint: SM3 of the 65-byte public key (04 || x || y), the last 65 bytes of its DER form.
actual=$(openssl pkey -pubin -in "$key" -outform DER | tail -c 65 | openssl dgst -sm3 -r | cut -c1-64)
if [ -n "$fingerprint" ]; then
  expected=$(printf '%s' "$fingerprint" | tr -d ' \t' | tr 'A-F' 'a-f')
  [ "$actual" = "$expected" ] || fail "signed with key $actual, not the station's $expected"
fi
[ "$(signed fingerprint | tr -d ' ')" = "$actual" ] || fail "the signed message names another key than $actual"

openssl pkeyutl -verify -pubin -inkey "$key" -rawin -digest sm3 -pkeyopt distid:1234567812345678 \
  -in "$work/message" -sigfile "$work/signature.der" > /dev/null 2>&1 || fail "the signature does not verify under key $actual"

digest=$(openssl dgst -sm3 -r "$file" | cut -c1-64)
[ "$digest" = "$(signed sm3)" ] || fail "the file's SM3 digest $digest is not the one signed"
size=$(wc -c < "$file" | tr -d ' ')
[ "$size" = "$(signed size)" ] || fail "the file has $size bytes, not the $(signed size) signed"

echo "OK $file"
echo "key fingerprint: $actual"
echo "signed at: $(signed signed_at)"
echo "chain heads: $(sed -n 's/.*"heads":\(.*\),"public_key".*/\1/p' "$work/message")"
