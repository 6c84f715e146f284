"""Parents' words are stemmed by many server threads at once."""

import threading

from directory.vocabulary import stem

WORDS = ["anxiety", "anxious", "breastfeeding", "loneliness", "depressed", "worried", "dads"]


def test_words_stemmed_in_many_threads_at_once_come_out_as_in_one():
    expected = {word: stem(word) for word in WORDS}
    wrong, errors = [], []

    def work():
        try:
            for _ in range(2000):
                for word in WORDS:
                    if stem(word) != expected[word]:
                        wrong.append(word)
        except Exception as error:  # noqa: BLE001 - any failure in a thread is the finding
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and wrong == []
