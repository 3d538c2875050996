#!/usr/bin/env python3
"""Tests of scripts/doc_programs.py on small Markdown samples, so that the
check of the documentation's programs cannot pass without looking.

    python3 tests/doc_programs_test.py
"""
import contextlib
import importlib.util
import io
import pathlib
import sys
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "doc_programs.py"
spec = importlib.util.spec_from_file_location("doc_programs", SCRIPT)
doc_programs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(doc_programs)

EXAMPLE_C = """\
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
"""

EXAMPLE_PY = """\
import sys

def main():
    # [START body]
    x = 1
    if x:
        print(x)
    # [END body]

// [START other]
other()
// [END other]
"""


class DocProgramsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)
        (self.root / "examples" / "x").mkdir(parents=True)
        (self.root / "examples" / "x" / "main.c").write_text(EXAMPLE_C)
        (self.root / "examples" / "x" / "body.py").write_text(EXAMPLE_PY)
        (self.root / "docs").mkdir()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def run_main(self, *args):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = doc_programs.main(["doc_programs.py", "--root",
                                      str(self.root), *args])
        return code, err.getvalue()

    def test_whole_file_matches(self):
        self.write("README.md", "# t\n\n<!-- example: examples/x/main.c -->\n"
                   "```c\n" + EXAMPLE_C + "```\n")
        code, err = self.run_main()
        self.assertEqual(code, 0, err)
        self.assertIn("1 program blocks, 0 problems", err)

    def test_blank_lines_between_mark_and_block(self):
        self.write("README.md", "<!-- example: examples/x/main.c -->\n\n\n"
                   "```c\n" + EXAMPLE_C + "```\n")
        self.assertEqual(self.run_main()[0], 0)

    def test_region_is_dedented(self):
        self.write("docs/a.md", "<!-- example: examples/x/body.py#body -->\n"
                   "```python\nx = 1\nif x:\n    print(x)\n```\n"
                   "<!-- example: examples/x/body.py#other -->\n"
                   "```python\nother()\n```\n")
        code, err = self.run_main()
        self.assertEqual(code, 0, err)
        self.assertIn("2 program blocks", err)

    def test_changed_line_fails_with_file_line_and_diff(self):
        self.write("docs/a.md", "text\n<!-- example: examples/x/main.c -->\n"
                   "```c\n" + EXAMPLE_C.replace("hello", "hullo") + "```\n")
        code, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("docs/a.md:4: the block differs from examples/x/main.c", err)
        self.assertIn('-  puts("hullo");', err)
        self.assertIn('+  puts("hello");', err)

    def test_missing_line_fails(self):
        self.write("README.md", "<!-- example: examples/x/main.c -->\n"
                   "```c\n" + EXAMPLE_C.replace("  return 0;\n", "") + "```\n")
        self.assertEqual(self.run_main()[0], 1)

    def test_unmarked_program_block_fails(self):
        for info in ("c", "cpp", "c++", "python", "java", "js", "javascript",
                     "ts", "typescript", "Python"):
            with self.subTest(info=info):
                self.write("README.md", "x\n\n```" + info + "\nint x;\n```\n")
                code, err = self.run_main()
                self.assertEqual(code, 1)
                self.assertIn("README.md:3: a " + info.lower() +
                              " block without", err)

    def test_mark_must_be_right_before_the_block(self):
        self.write("README.md", "<!-- example: examples/x/main.c -->\n"
                   "Some words.\n```c\n" + EXAMPLE_C + "```\n")
        code, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("README.md:3: a c block without", err)

    def test_indented_block_in_a_list(self):
        indented = "".join("   " + l if l.strip() else l
                           for l in EXAMPLE_C.splitlines(True))
        self.write("README.md", "- item\n\n   <!-- example: examples/x/main.c -->\n"
                   "   ```c\n" + indented + "   ```\n"
                   "- item\n\n   ```cpp\n   int x;\n   ```\n")
        code, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("1 program blocks, 1 problems", err)
        self.assertIn("README.md:14: a cpp block without", err)

    def test_fragment_is_exempt(self):
        self.write("README.md", "<!-- example: examples/x/main.c -->\n"
                   "```c\n" + EXAMPLE_C + "```\n"
                   "<!-- fragment -->\n```cpp\nint pip_x(void);\n```\n")
        self.assertEqual(self.run_main()[0], 0)

    def test_other_blocks_are_not_programs(self):
        self.write("README.md", "<!-- example: examples/x/main.c -->\n"
                   "```c\n" + EXAMPLE_C + "```\n"
                   "```sh\nls\n```\n```\nplain\n```\n```cmake\nx()\n```\n")
        self.assertEqual(self.run_main()[0], 0)

    def test_no_program_block_at_all_fails(self):
        self.write("README.md", "```sh\nls\n```\n")
        code, err = self.run_main()
        self.assertEqual(code, 1)
        self.assertIn("no program block found", err)

    def test_missing_file_region_and_outside_path_fail(self):
        cases = {
            "examples/x/none.c": "does not exist",
            "examples/x/body.py#nowhere": "no single [START nowhere]",
            "src/main.c": "is not under examples/",
            "examples/../src/main.c": "is not under examples/",
        }
        for target, message in cases.items():
            with self.subTest(target=target):
                self.write("README.md", f"<!-- example: {target} -->\n"
                           "```c\nint x;\n```\n")
                code, err = self.run_main()
                self.assertEqual(code, 1)
                self.assertIn("README.md:2: ", err)
                self.assertIn(message, err)

    def test_bindings_examples_are_allowed(self):
        (self.root / "bindings" / "java" / "examples").mkdir(parents=True)
        (self.root / "bindings" / "java" / "examples" / "A.java").write_text(
            "class A {}\n")
        self.write("bindings/java/README.md",
                   "<!-- example: bindings/java/examples/A.java -->\n"
                   "```java\nclass A {}\n```\n")
        self.assertEqual(self.run_main()[0], 0)

    def test_build_folders_are_skipped(self):
        self.write("README.md", "<!-- example: examples/x/main.c -->\n"
                   "```c\n" + EXAMPLE_C + "```\n")
        self.write("bindings/java/build/x.md", "```java\nclass B {}\n```\n")
        self.write("examples/x/build-debug/x.md", "```c\nint y;\n```\n")
        self.assertEqual(self.run_main()[0], 0)

    def test_update_rewrites_then_check_passes(self):
        path = self.write(
            "docs/a.md",
            "before\n<!-- example: examples/x/main.c -->\n```c\nold\n```\n"
            "middle\n<!-- example: examples/x/body.py#body -->\n"
            "```python\nold\nold\nold\nold\n```\nafter\n")
        code, err = self.run_main("--update")
        self.assertEqual(code, 0, err)
        self.assertEqual(
            path.read_text(),
            "before\n<!-- example: examples/x/main.c -->\n```c\n" + EXAMPLE_C +
            "```\nmiddle\n<!-- example: examples/x/body.py#body -->\n"
            "```python\nx = 1\nif x:\n    print(x)\n```\nafter\n")
        self.assertEqual(self.run_main()[0], 0)

    def test_update_still_reports_unmarked_blocks(self):
        path = self.write("README.md", "<!-- example: examples/x/main.c -->\n"
                          "```c\nold\n```\n```cpp\nint x;\n```\n")
        code, err = self.run_main("--update")
        self.assertEqual(code, 1)
        self.assertIn("README.md:5: a cpp block without", err)
        self.assertIn(EXAMPLE_C, path.read_text())


if __name__ == "__main__":
    unittest.main()
