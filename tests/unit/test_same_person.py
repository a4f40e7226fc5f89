"""Two records sharing a phone are suggested as one person only when their names are alike."""

from aiddesk.domain.same_person import similar_names


def test_names_alike_share_a_word_whatever_the_accents_case_and_spacing() -> None:
    assert similar_names("María José García", "maria garcia")
    assert similar_names("JOSÉ  LÓPEZ", "Jose Lopez Ruiz")


def test_a_household_number_with_other_names_is_not_one_person() -> None:
    assert not similar_names("Aaliyah Anderson", "Harold Jones")


def test_a_record_with_no_name_may_still_be_the_same_caller() -> None:
    assert similar_names("", "Rosa Martínez")
    assert similar_names("?", "Rosa Martínez")
