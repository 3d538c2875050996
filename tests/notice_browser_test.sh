#!/usr/bin/env bash
# The published notice in a browser: `pipctl render --format html` in
# Japanese and English, laid out side by side by headless chromium. The
# screenshot is a valid PNG of the window's size in which neither notice's
# half is blank, and every heading of each notice (the title, the
# preamble, clauses 1-9 and their subsections, 7's 保存期間の例外) is laid
# out with a size and shown.
#
# The notice itself has no script. A page of this test's own, in its temp
# folder, holds the two notices in <iframe>s and, once they are loaded,
# writes each heading's tag, box and computed visibility into its DOM,
# which `chromium --dump-dom` prints. One browser run does both.
#
#   tests/notice_browser_test.sh PIPCTL CHROMIUM
set -euo pipefail

PIPCTL="$1"
CHROMIUM="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Each notice gets a 1024 x 1400 pixel frame.
WIDTH=2048
HEIGHT=1400

for lang in ja en; do
  "$PIPCTL" render --lang "$lang" --format html -o "$TMP/notice.$lang.html"
  "$PIPCTL" render --lang "$lang" --format md -o "$TMP/notice.$lang.md"
done

cat >"$TMP/layout.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>layout</title>
<style>
body { margin: 0; }
iframe { border: 0; width: 1024px; height: 1400px; float: left; }
</style></head>
<body>
<iframe id="ja" src="notice.ja.html"></iframe><iframe id="en" src="notice.en.html"></iframe>
<script>
window.addEventListener('load', function () {
  var lines = [];
  ['ja', 'en'].forEach(function (id) {
    var doc = document.getElementById(id).contentDocument;
    doc.querySelectorAll('h1, h2, h3').forEach(function (h) {
      var box = h.getBoundingClientRect();
      var style = doc.defaultView.getComputedStyle(h);
      lines.push([id, h.tagName.toLowerCase(), Math.round(box.width),
                  Math.round(box.height), style.visibility, style.display,
                  h.textContent].join('\t'));
    });
  });
  var out = document.createElement('pre');
  out.id = 'boxes';
  out.textContent = lines.join('\n');
  document.body.appendChild(out);
});
</script>
</body></html>
HTML

# Flags for a root user with no display, no network and a fresh profile;
# the test's page may read the notices beside it (file: URLs).
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$TMP/profile" --allow-file-access-from-files \
  --virtual-time-budget=5000 --window-size="$WIDTH,$HEIGHT" \
  --screenshot="$TMP/notices.png" --dump-dom "file://$TMP/layout.html" \
  >"$TMP/layout.dom" 2>"$TMP/chromium.log" || {
    cat "$TMP/chromium.log"
    exit 1
  }

python3 - "$TMP" "$WIDTH" "$HEIGHT" <<'PY'
import html
import re
import struct
import sys
import zlib

tmp, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failures = []


def png_halves(path):
    """The PNG's size, and the byte values of the filtered scanlines of its
    left and right halves. A region of one colour filters to a handful of
    values (zeros, the colour's channels, a few at its edges), a page of
    text to hundreds."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("bad CRC in chunk %r" % kind)
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if ihdr is None:
        raise ValueError("no IHDR chunk")
    w, h, depth, colour = ihdr[:4]
    if depth != 8 or colour not in (2, 6):
        raise ValueError("bit depth %d, colour type %d" % (depth, colour))
    stride = w * (3 if colour == 2 else 4)
    raw = zlib.decompress(idat)
    if len(raw) != h * (stride + 1):
        raise ValueError("image data of %d bytes for %dx%d" % (len(raw), w, h))
    left, right = set(), set()
    for y in range(h):
        row = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        left.update(row[:stride // 2])
        right.update(row[stride // 2:])
    return w, h, left, right


try:
    w, h, left, right = png_halves(tmp + "/notices.png")
    if (w, h) != (width, height):
        failures.append("the screenshot is %dx%d, not %dx%d" % (w, h, width, height))
    for lang, values in (("ja", left), ("en", right)):
        if len(values) < 32:
            failures.append("%s: the notice's half of the screenshot is blank "
                            "(%d byte values)" % (lang, len(values)))
except (OSError, ValueError, struct.error, zlib.error) as e:
    failures.append("the screenshot is not a valid PNG: %s" % e)

dom = open(tmp + "/layout.dom", encoding="utf-8").read()
m = re.search(r'<pre id="boxes">(.*?)</pre>', dom, re.S)
if not m:
    failures.append("the layout page wrote no heading boxes (did the notices load?)")
    boxes = []
else:
    boxes = [line.split("\t") for line in html.unescape(m.group(1)).split("\n") if line]

unescape = re.compile(r"\\([!-/:-@\[-`{-~])")
for lang in ("ja", "en"):
    # The headings the notice has: those of its Markdown rendering.
    expected = []
    for line in open("%s/notice.%s.md" % (tmp, lang), encoding="utf-8"):
        m = re.match(r"(#{1,3}) (.*)", line.rstrip("\n"))
        if m:
            expected.append(("h%d" % len(m.group(1)), unescape.sub(r"\1", m.group(2))))
    if len(expected) < 30:
        failures.append("%s: only %d headings in the notice" % (lang, len(expected)))
    laid_out = [b for b in boxes if b[0] == lang]
    got = [(b[1], b[6]) for b in laid_out]
    if got != expected:
        failures.append("%s: the page's headings differ from the notice's:\n  page:   %s\n  notice: %s"
                        % (lang, got, expected))
    for b in laid_out:
        if int(b[2]) <= 0 or int(b[3]) <= 0 or b[4] != "visible" or b[5] == "none":
            failures.append("%s: heading %r is not shown (box %sx%s, visibility %s, display %s)"
                            % (lang, b[6], b[2], b[3], b[4], b[5]))
    print("%s: %d headings laid out and shown" % (lang, len(laid_out)))

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("screenshot: %dx%d, %d and %d byte values in its halves" % (w, h, len(left), len(right)))
PY
