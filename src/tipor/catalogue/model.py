"""The loaded, validated, immutable catalogue and the queries the web, CLI and engine use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tipor.catalogue.metadata import TITLED, Case, CatalogueMeta, Language, Profile
from tipor.catalogue.schema import (
    LANGS,
    Group,
    Indicator,
    IndicatorFile,
    Observer,
    Stage,
    Strength,
    Text,
    TranslationStatus,
)
from tipor.exceptions import UnknownValue

STAGE_ORDER: dict[Stage, int] = {s: i for i, s in enumerate(Stage)}
STRENGTH_ORDER: dict[Strength, int] = {s: i for i, s in enumerate(Strength)}


def screening_order(indicator: Indicator) -> tuple[int, int, str]:
    """Sort key: stage order, then strongest first, then id."""
    return (STAGE_ORDER[indicator.stage], STRENGTH_ORDER[indicator.strength], indicator.id)


def select_indicators(
    profile: Profile, indicators: Iterable[Indicator], group_of: Mapping[str, Group]
) -> tuple[Indicator, ...]:
    """The profile's indicators: groups ∩ observers, plus ``include``, minus ``exclude``, sorted."""
    observers = set(profile.observers)
    chosen = [
        i for i in indicators
        if i.id not in profile.exclude
        and (i.id in profile.include
             or (group_of[i.id] in profile.groups and observers & set(i.observers)))
    ]
    return tuple(sorted(chosen, key=screening_order))


@dataclass(frozen=True)
class ListedIndicator:
    """One row of ``tipor catalogue list``."""

    id: str
    group: Group
    stage: Stage
    strength: Strength
    label: str
    translation: TranslationStatus


@dataclass(frozen=True)
class Catalogue:
    """Every indicator, profile and case, validated; build it with ``load_catalogue``."""

    meta: CatalogueMeta
    files: Mapping[Group, IndicatorFile]
    profiles: tuple[Profile, ...]
    cases: tuple[Case, ...]
    indicators: tuple[Indicator, ...] = field(init=False)
    _by_id: Mapping[str, Indicator] = field(init=False, repr=False)
    _group_of: Mapping[str, Group] = field(init=False, repr=False)
    _selected: Mapping[str, tuple[Indicator, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        files = MappingProxyType({g: self.files[g] for g in Group if g in self.files})
        ordered = tuple(i for f in files.values() for i in f.indicators)
        group_of = MappingProxyType({i.id: f.group for f in files.values() for i in f.indicators})
        selected = {p.id: select_indicators(p, ordered, group_of) for p in self.profiles}
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "indicators", ordered)
        object.__setattr__(self, "_by_id", MappingProxyType({i.id: i for i in ordered}))
        object.__setattr__(self, "_group_of", group_of)
        object.__setattr__(self, "_selected", MappingProxyType(selected))

    @property
    def version(self) -> str:
        """Catalogue version, e.g. ``2026.11.1``."""
        return self.meta.version

    @property
    def languages(self) -> tuple[Language, ...]:
        """Languages with native name and direction."""
        return self.meta.languages

    def indicator(self, indicator_id: str) -> Indicator:
        """One indicator; ``UnknownValue`` lists the valid ids."""
        try:
            return self._by_id[indicator_id]
        except KeyError:
            raise UnknownValue("indicator", indicator_id, list(self._by_id)) from None

    def has_indicator(self, indicator_id: str) -> bool:
        """Whether the id exists."""
        return indicator_id in self._by_id

    def group_of(self, indicator_id: str) -> Group:
        """The subject group (file) an indicator belongs to."""
        return self._group_of[self.indicator(indicator_id).id]

    def profile(self, profile_id: str) -> Profile:
        """One profile; ``UnknownValue`` lists the valid ids."""
        for p in self.profiles:
            if p.id == profile_id:
                return p
        raise UnknownValue("profile", profile_id, [p.id for p in self.profiles])

    def indicators_for(self, profile_id: str) -> tuple[Indicator, ...]:
        """The profile's indicators in screening order (stage, then strength)."""
        return self._selected[self.profile(profile_id).id]

    def case(self, case_id: str) -> Case:
        """One public case; ``UnknownValue`` lists the valid ids."""
        for c in self.cases:
            if c.id == case_id:
                return c
        raise UnknownValue("case", case_id, [c.id for c in self.cases])

    def check_language(self, lang: str) -> str:
        """``lang`` if the catalogue has it; else ``UnknownValue``."""
        if lang not in LANGS:
            raise UnknownValue("language", lang, list(LANGS))
        return lang

    def check_observer(self, observer: str) -> Observer:
        """The observer code; else ``UnknownValue``."""
        try:
            return Observer(observer)
        except ValueError:
            raise UnknownValue("observer", observer, [o.value for o in Observer]) from None

    def text(self, obj: Text, lang: str) -> str:
        """A six-language text in ``lang``."""
        return obj.get(self.check_language(lang))

    def label(self, indicator_id: str, lang: str) -> str:
        """The indicator's label in ``lang``."""
        return self.text(self.indicator(indicator_id).label, lang)

    def question(self, indicator_id: str, observer: str | None, lang: str) -> str:
        """The question for ``observer`` (falling back to ``default``) in ``lang``."""
        obs = None if observer is None else self.check_observer(observer)
        return self.text(self.indicator(indicator_id).questions.for_observer(obs), lang)

    def title(self, kind: str, code: str, lang: str) -> str:
        """Title of a code, e.g. ``title("stages", "transplant", "ur")``."""
        if kind not in TITLED:
            raise UnknownValue("title kind", kind, list(TITLED))
        titles: Mapping[object, Text] = getattr(self.meta, kind)
        valid = [m.value for m in TITLED[kind]]
        if code not in valid:
            raise UnknownValue(kind, code, valid)
        return self.text(titles[TITLED[kind](code)], lang)

    def translation_status(self, group: str, lang: str) -> TranslationStatus:
        """Review status of ``lang`` in the ``group`` file (show 'draft translation' unless ok)."""
        return self.files[self._check_group(group)].translations.status(self.check_language(lang))

    def indicator_translation_status(self, indicator_id: str, lang: str) -> TranslationStatus:
        """Review status of ``lang`` for the file holding this indicator."""
        return self.translation_status(self.group_of(indicator_id), lang)

    def filter(self, group: str | None = None, lang: str | None = None) -> list[ListedIndicator]:
        """Indicators of one group (or all), labelled in ``lang`` (default English)."""
        lang = self.check_language(lang or "en")
        wanted = None if group is None else self._check_group(group)
        return [
            ListedIndicator(i.id, g, i.stage, i.strength, i.label.get(lang),
                            self.files[g].translations.status(lang))
            for i in self.indicators
            if (g := self._group_of[i.id]) == wanted or wanted is None
        ]

    def _check_group(self, group: str) -> Group:
        present = [g.value for g in self.files]
        if group not in present:
            raise UnknownValue("group", group, present)
        return Group(group)
