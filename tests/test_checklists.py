import json

import pytest

from openmarac.checklists.models import ChecklistDefinition
from openmarac.checklists.services import ChecklistFileError, checklists_load, current_checklist

pytestmark = pytest.mark.django_db


def test_the_shipped_checklists_have_the_published_number_of_questions():
    checklists_load()
    assert len(current_checklist("dash-ric").questions) == 24
    assert len(current_checklist("police-dash").questions) == 27
    assert len(current_checklist("s-dash").questions) == 11
    assert current_checklist("dara").kind == "level"
    assert current_checklist("s-dash").supplementary


def test_the_score_is_the_number_of_yes_answers():
    checklists_load()
    ric = current_checklist("dash-ric")
    answers = {
        "q1": "yes",
        "q2": "no",
        "q3": "not_known",
        "q4": "yes",
        "q99": "yes",
        "q1_comment": "yes",
    }
    assert ric.score(answers) == 2


def test_loading_twice_changes_nothing():
    checklists_load()
    checklists_load()
    assert ChecklistDefinition.objects.filter(slug="dash-ric").count() == 1


def test_new_wording_needs_a_new_version(tmp_path):
    definition = {
        "slug": "local",
        "version": "1",
        "title": "Local",
        "short_title": "L",
        "attribution": "x",
        "kind": "score",
        "questions": [{"id": "q1", "text": "One?"}],
    }
    (tmp_path / "local.json").write_text(json.dumps(definition))
    checklists_load(directory=tmp_path)
    definition["questions"][0]["text"] = "Changed?"
    (tmp_path / "local.json").write_text(json.dumps(definition))
    with pytest.raises(ChecklistFileError):
        checklists_load(directory=tmp_path)
    definition["version"] = "2"
    (tmp_path / "local.json").write_text(json.dumps(definition))
    checklists_load(directory=tmp_path)
    assert current_checklist("local").version == "2"
    assert ChecklistDefinition.objects.get(slug="local", version="1").is_current is False


def test_a_definition_with_duplicate_question_ids_is_refused(tmp_path):
    definition = {
        "slug": "bad",
        "version": "1",
        "title": "B",
        "short_title": "B",
        "attribution": "x",
        "kind": "score",
        "questions": [{"id": "q1", "text": "a"}, {"id": "q1", "text": "b"}],
    }
    (tmp_path / "bad.json").write_text(json.dumps(definition))
    with pytest.raises(ChecklistFileError):
        checklists_load(directory=tmp_path)
