"""The documentation runner's parsing and output checks catch what they are meant to catch."""

from tests.doc_blocks import blocks, commands, json_mismatches, missing_lines

PAGE = """Text.

<!-- file: tiny.json -->
```json
{"a": 1}
```

```{code-block} python
x = 1
```

```console
$ .venv/bin/polyregions count tiny.json --box -1 1
activation regions  7
...
$ echo $?   # not run by the tests: an example
```
"""


def test_blocks_are_found_in_order_with_their_kind_line_and_saved_file():
    found = blocks(PAGE)
    assert [(b.kind, b.line, b.saves) for b in found] == [
        ("json", 4, "tiny.json"), ("python", 8, None), ("console", 12, None)]
    assert found[0].text == '{"a": 1}\n'


def test_a_console_block_splits_into_commands_and_their_shown_output():
    session = commands(blocks(PAGE)[2])
    assert session == [(".venv/bin/polyregions count tiny.json --box -1 1",
                        ["activation regions  7", "..."]),
                       ("echo $?   # not run by the tests: an example", [])]


def test_a_block_marked_as_not_run_is_skipped_and_others_are_not():
    marked = blocks("```sh\n# not run by the tests: slow\nmake demo\n```\n")[0]
    assert marked.skipped and not blocks(PAGE)[2].skipped


def test_shown_lines_must_appear_in_order_with_the_same_numbers():
    actual = "network  2 -> 3\nactivation regions  7\nbounded regions  7\ntime  0.5 s\n"
    assert missing_lines(["activation regions 7", "...", "time 0.056 s"], actual) == []
    assert missing_lines(["activation regions  8"], actual) == ["activation regions  8"]
    assert missing_lines(["bounded regions  7", "activation regions  7"], actual) == [
        "activation regions  7"]  # out of order


def test_shown_json_pairs_must_equal_the_real_values():
    actual = '{"input_dim": 2, "activation_regions": 7, "complete": true, "bias": ["0:0"]}'
    assert json_mismatches(['{"input_dim": 2, ..., "activation_regions": 7,',
                            ' "complete": true, "bias": ["0:0"], ...}'], actual) == []
    assert len(json_mismatches(['{"activation_regions": 9, "missing": 1}'], actual)) == 2
