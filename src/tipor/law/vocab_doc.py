"""The "Vocabularies" section of docs/formats/fact-pattern.md, generated from the data file.

``python -m tipor.law.vocab_doc`` prints the section; ``python -m tipor.law.vocab_doc DOC``
rewrites it in DOC between the markers. A test checks the doc embeds the current text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tipor.law.vocabulary import FactVocabularyFile, load_fact_vocabulary

START, END = "<!-- vocabulary:start -->\n", "<!-- vocabulary:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def vocabulary_markdown(vocab: FactVocabularyFile | None = None) -> str:
    """Markdown: per vocabulary a heading, its description and a table of values."""
    vocab = vocab or load_fact_vocabulary()
    lines = [f"Generated from `src/tipor/law/data/vocabulary.yaml` (version `{vocab.version}`) "
             "by `python -m tipor.law.vocab_doc docs/formats/fact-pattern.md`; edit the data "
             "file, not this section. *plain meaning*: the ordinary sense, no source behind it."]
    for name, voc in vocab.vocabularies.items():
        lines += ["", f"### `{name}` (`{voc.literal}`)", "", _cell(voc.description), "",
                  "| value | meaning | source |", "|---|---|---|"]
        lines += [f"| `{value}` | {_cell(t.definition)} | {_cell(t.source)} |"
                  for value, t in voc.values.items()]
    return "\n".join(lines) + "\n"


def embed(text: str, section: str) -> str:
    """``text`` with the part between the markers replaced by ``section``."""
    if START not in text or END not in text:
        raise ValueError(f"the document needs the markers {START.strip()} and {END}")
    head, rest = text.split(START, 1)
    return head + START + section + END + rest.split(END, 1)[1]


def main(argv: list[str]) -> int:
    """Print the section, or rewrite it in the document named by the first argument."""
    section = vocabulary_markdown()
    if not argv:
        sys.stdout.write(section)
        return 0
    doc = Path(argv[0])
    try:
        doc.write_text(embed(doc.read_text(encoding="utf-8"), section), encoding="utf-8")
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"error: {doc}: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
