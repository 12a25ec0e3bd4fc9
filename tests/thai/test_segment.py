"""Word segmentation: government vocabulary kept whole, the same words from nlpo3 and newmm,
punctuation cut off Thai words, and nothing downloaded."""

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cms.thai.segment import engine, words

ROOT = Path(__file__).resolve().parents[2]
HAS_NLPO3 = importlib.util.find_spec("nlpo3") is not None
ENGINES = ["newmm", pytest.param("nlpo3", marks=pytest.mark.skipif(not HAS_NLPO3, reason="nlpo3"))]

# Our own letter-like text, in the shapes of the seeds.
LETTER = (
    "ที่ มท 0812.2/ว 1234 กรมส่งเสริมการปกครองท้องถิ่น ขอให้จังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น "
    "(อปท.) ทุกแห่งรายงานผลการเบิกจ่ายเงินอุดหนุนประจำปีงบประมาณ พ.ศ. 2569 ภายในวันที่ 15 "
    "มกราคม 2570 ทาง e-mail: saraban@dla.go.th หรือโทรสาร 0 2241 9000 ต่อ 2312"
)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_government_vocabulary_stays_whole(engine_name):
    found = words("กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่นแจ้งว่า", engine_name)
    assert found[0] == "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น"
    assert "องค์กรปกครองส่วนท้องถิ่น" in words(LETTER, engine_name)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_punctuation_is_cut_off_thai_words(engine_name):
    assert words("(สพฐ.) อปท.", engine_name) == ["(", "สพฐ", ".", ")", "อปท", "."]
    assert words("ไฟล์ mp4 ของ g20", engine_name) == ["ไฟล์", "mp4", "ของ", "g20"]


@pytest.mark.skipif(not HAS_NLPO3, reason="nlpo3 is not installed")
def test_nlpo3_runs_when_installed_and_agrees_with_newmm():
    assert engine() == "nlpo3"
    assert words(LETTER) == words(LETTER, "newmm")


def test_words_drop_whitespace_and_keep_order():
    found = words("  ประชุม \n\t คณะทำงาน ")
    assert found == ["ประชุม", "คณะทำงาน"]
    assert words("") == []


def test_nothing_is_downloaded(tmp_path):
    """Segmentation, normalisation and the speller, in a fresh process whose pythainlp data
    folder is empty and whose every network connection fails."""
    script = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        import django
        django.setup()
        from pythainlp.spell import correct
        from cms.thai.segment import words
        from search.analysis import normalize
        assert words("องค์กรปกครองส่วนท้องถิ่น", "newmm")
        assert words("องค์กรปกครองส่วนท้องถิ่น")
        assert normalize("เเจ้ง")
        assert correct("ทองถิ่น")
        print("offline ok")
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "PYTHAINLP_DATA": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTHAINLP_OFFLINE", None)  # the project must set it itself
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "offline ok" in done.stdout
