"""dnncourse.diagnose on built and recorded learning curves, and its input checks.

The built curves cover each label; two recorded runs (the course solutions, seed 0,
losses rounded to 4 digits) cover the cases issue 11 reported: a restored early-stopping
epoch and a training loss still falling 13 % over the last quarter; a third, a
learner's run with a learning rate too large, the case a tester reported (told "use a
bigger model").  The live challenge runs are diagnosed in test_regression.py,
test_iris.py and test_mnist.py (slow).  Generated histories: test_diagnose_properties.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import dnncourse.diagnose as diagnose_module
from dnncourse import _diagnose_messages as messages
from dnncourse.diagnose import LABELS, RULES, TABLE_ROW, Diagnosis, diagnose, holds

EPOCHS = np.arange(200)
RNG = np.random.default_rng(0)


def _floats(text):
    return [float(x) for x in text.split()]


def jitter(curve, scale=0.03):
    """Multiplicative noise like small-batch training's epoch-to-epoch wobble."""
    return curve * (1 + scale * RNG.standard_normal(curve.shape))


def good_fit():
    """Both losses fall and level off close together, near a floor of 0.04."""
    train = 0.04 + 3.0 * np.exp(-EPOCHS / 15)
    val = 0.05 + 3.2 * np.exp(-EPOCHS / 15)
    return {"loss": jitter(train), "val_loss": jitter(val)}


def overfitting():
    """Training loss keeps falling; validation loss bottoms out at epoch ~40, then climbs."""
    train = 0.005 + 1.0 * np.exp(-EPOCHS / 20)
    val = 0.15 + 1.0 * np.exp(-EPOCHS / 15) + 0.002 * np.clip(EPOCHS - 40, 0, None)
    return {"loss": jitter(train), "val_loss": jitter(val)}


def underfitting_high_flat():
    """Both losses stall early, close together, far above the noise floor 0.04."""
    train = 4.0 + 20.0 * np.exp(-EPOCHS / 5)
    val = 4.5 + 20.0 * np.exp(-EPOCHS / 5)
    return {"loss": jitter(train), "val_loss": jitter(val)}


def still_falling():
    """Both losses still fall steadily at the end: the run stopped too soon."""
    train = 2.0 * np.exp(-EPOCHS / 120)
    val = 2.1 * np.exp(-EPOCHS / 120)
    return {"loss": jitter(train, 0.01), "val_loss": jitter(val, 0.01)}


def high_and_still_falling():
    """Far above the floor 0.04 but still falling fast: not converged."""
    train = 1.0 + 4.0 * np.exp(-EPOCHS / 100)
    return {"loss": jitter(train, 0.005), "val_loss": jitter(train * 1.1, 0.005)}


def not_learning():
    """The loss hardly moves from its first value (e.g. a far too small learning rate)."""
    flat = 1.1 - 0.0002 * EPOCHS
    return {"loss": jitter(flat, 0.005), "val_loss": jitter(flat + 0.02, 0.005)}


def noise_free():
    """Noise-free data: both losses fall to 1e-4 of their first value and stay there."""
    train = 1e-4 + np.exp(-EPOCHS / 10)
    return {"loss": train, "val_loss": 1.2 * train}


def unstable():
    """Falls to 0.05 by epoch 60, then climbs back in jumps: the steps overshoot the valley."""
    train = 0.05 + np.exp(-EPOCHS / 10) + 0.002 * np.clip(EPOCHS - 60, 0, None)
    return {"loss": jitter(train, 0.2), "val_loss": jitter(1.2 * train, 0.2)}


def levelled_with_big_jitter():
    """Levelled off near the floor 0.04, with dropout-size jitter (20 % per epoch)."""
    train = 0.04 + 3.0 * np.exp(-EPOCHS / 15)
    return {"loss": jitter(train, 0.2), "val_loss": jitter(1.2 * train, 0.05)}


def stopped_improving():
    """Validation flat from epoch 100 on while training still falls steadily, no big gap."""
    train = 0.10 * np.exp(-EPOCHS / 300) + 0.5 * np.exp(-EPOCHS / 10)
    val = 0.07 + 0.5 * np.exp(-EPOCHS / 10)
    return {"loss": train, "val_loss": val}


IRIS_SOLUTION = {
    "loss": _floats(
        "1.065 0.698 0.4936 0.3899 0.333 0.2987 0.2744 0.2564 0.2406 0.2254 0.2107 0.1996 0.1871 "
        "0.1757 0.1671 0.1551 0.1463 0.1382 0.13 0.1223 0.1165 0.1088 0.1029 0.0991 0.09546 "
        "0.09167 0.09022 0.0901 0.08362 0.08144 0.08046 0.07699 0.07638 0.07655 0.07586 0.07278 "
        "0.0706 0.0686 0.06763 0.06789 0.0657 0.06517 0.065 0.06544 0.06297 0.06127 0.06216 "
        "0.05957 0.05918 0.05999 0.05774 0.05712 0.05703 0.05541 0.05661 0.05586 0.05689 0.05313 "
        "0.05361 0.05411 0.05166 0.05292 0.05223 0.05236 0.05052 0.05079 0.04905 0.05002 0.04845 "
        "0.04784 "
    ),
    "val_loss": _floats(
        "0.8955 0.648 0.5347 0.4824 0.4515 0.4359 0.4198 0.398 0.3772 0.361 0.3455 0.3274 0.3037 "
        "0.2851 0.2657 0.2524 0.2368 0.2228 0.2091 0.1965 0.1827 0.1749 0.1654 0.1569 0.15 0.1461 "
        "0.1453 0.1371 0.1383 0.1388 0.1378 0.1322 0.1297 0.1329 0.1298 0.1351 0.1342 0.1311 "
        "0.1301 0.1288 0.1296 0.1349 0.1357 0.1291 0.1312 0.1339 0.1337 0.1377 0.138 0.1377 "
        "0.1345 0.1362 0.1363 0.1374 0.1408 0.1387 0.1436 0.1411 0.139 0.1389 0.1446 0.1488 "
        "0.1436 0.1418 0.1445 0.1486 0.1468 0.1489 0.1492 0.1486 "
    ),
}
#: A learner's run (two Dense(32, relu) layers, Adam(learning_rate=0.01), standardised inputs,
#: the 80 fit rows of the regression data, batch 10, 300 epochs, seed 2; losses to 4 digits):
#: its training loss found 0.087 and then jumped back up. The old rules called it "underfitting".
LR_TOO_LARGE = {
    "loss": _floats(
        "33.04 9.921 5.097 3.423 3.348 2.804 2.516 2.411 2.244 2.206 2.227 2.144 2.149 2.094 "
        "2.075 2.065 2.04 2.096 2.162 2.052 2.057 2.075 2.165 2.009 1.912 1.978 1.936 1.91 1.922 "
        "1.944 1.959 1.845 1.954 2.002 2.048 1.847 1.951 1.861 1.946 1.863 1.889 1.856 1.878 "
        "1.835 1.971 1.889 1.841 1.892 1.909 1.897 1.892 1.86 1.767 1.869 1.864 1.941 2.054 1.896 "
        "1.842 1.779 1.802 1.748 1.735 1.938 2.15 2.168 1.77 1.709 1.796 1.77 1.709 1.684 1.657 "
        "1.697 1.699 1.585 1.617 1.566 1.707 1.682 1.643 1.444 1.313 1.27 1.249 1.344 1.126 "
        "0.9913 0.9222 1.045 0.8915 0.9484 0.8548 0.7677 0.6954 0.7446 0.6328 0.6598 0.6339 "
        "0.6869 0.6283 0.6237 0.5436 0.558 0.6359 0.8673 0.5648 0.4552 0.4652 0.4145 0.4431 "
        "0.4558 0.4757 0.4761 0.422 0.4218 0.4176 0.415 0.5232 0.401 0.39 0.3735 0.3434 0.3387 "
        "0.2986 0.3311 0.3477 0.3746 0.3554 0.2638 0.2571 0.2587 0.3263 0.3877 0.348 0.2252 "
        "0.2063 0.2168 0.2159 0.1909 0.1637 0.1593 0.1872 0.1916 0.2545 0.243 0.2408 0.1475 "
        "0.1629 0.1594 0.1367 0.1418 0.1189 0.1321 0.1407 0.1175 0.1495 0.1472 0.1183 0.1637 "
        "0.2252 0.2136 0.1338 0.2013 0.145 0.1427 0.1613 0.1342 0.1111 0.1062 0.1476 0.131 0.2145 "
        "0.2683 0.1249 0.1441 0.1449 0.1079 0.08639 0.0829 0.1631 0.126 0.1885 0.1309 0.1685 "
        "0.1243 0.09783 0.07949 0.06771 0.06585 0.08589 0.123 0.1214 0.08462 0.09285 0.1009 "
        "0.09935 0.1044 0.1348 0.1432 0.1182 0.141 0.1274 0.1562 0.1271 0.06145 0.09123 0.0892 "
        "0.09031 0.1365 0.1566 0.1511 0.1344 0.07923 0.08171 0.07368 0.1242 0.1139 0.1168 0.1054 "
        "0.1698 0.1479 0.1696 0.1162 0.09134 0.08684 0.0699 0.05705 0.0661 0.07835 0.07917 0.0834 "
        "0.09379 0.1055 0.08846 0.08235 0.0625 0.06462 0.06425 0.07069 0.121 0.158 0.1215 0.1134 "
        "0.1204 0.08902 0.08824 0.1611 0.1856 0.2038 0.2022 0.1491 0.13 0.1304 0.07668 0.07756 "
        "0.0864 0.09199 0.1162 0.1548 0.1065 0.1267 0.1228 0.06439 0.06773 0.08543 0.06355 "
        "0.06289 0.07678 0.07077 0.1023 0.05654 0.0642 0.06798 0.08483 0.08757 0.08999 0.1283 "
        "0.1137 0.1527 0.1292 0.08478 0.1271 0.2226 0.1842 0.1978 0.1549 0.2411 0.2565 0.2974 "
        "0.2058 0.1188 0.1272 0.08316 0.1039 0.09484 0.1069 0.1764 0.1556 0.1733 "
    ),
    "val_loss": _floats(
        "9.121 5.364 5.317 2.116 2.488 4.088 2.39 2.432 2.621 2.628 2.26 2.434 2.476 2.261 2.151 "
        "2.437 2.151 2.268 2.557 1.864 2.45 2.188 2.043 2.379 1.866 1.868 1.986 2.147 1.981 2.022 "
        "2.032 1.96 2.068 1.732 2.268 1.826 2.138 1.842 1.954 1.754 2.095 1.772 2.057 1.81 1.863 "
        "2.025 1.985 1.903 1.896 1.87 2.045 1.884 1.91 1.879 2.039 1.815 1.827 1.973 1.807 1.92 "
        "1.855 1.866 1.771 1.635 1.988 1.696 2.069 1.716 1.912 1.598 2.005 1.781 1.818 1.701 "
        "1.712 1.758 1.518 1.646 1.728 1.492 1.401 1.426 1.234 1.589 1.035 1.177 1.089 1.074 "
        "0.904 1.153 0.9225 0.8762 0.709 0.5877 0.6781 0.5381 0.5266 0.5094 0.6048 0.4034 0.3847 "
        "0.3215 0.4053 0.3416 0.3721 0.4787 0.3063 0.2881 0.3327 0.2845 0.3157 0.2506 0.239 "
        "0.2748 0.234 0.2704 0.1814 0.2327 0.2129 0.24 0.1821 0.2077 0.1807 0.2015 0.179 0.2358 "
        "0.2241 0.1846 0.2056 0.1362 0.1568 0.1317 0.2017 0.3 0.164 0.161 0.1323 0.1093 0.1799 "
        "0.1244 0.1087 0.1034 0.1271 0.1283 0.2973 0.1569 0.1203 0.1182 0.07892 0.1363 0.1027 "
        "0.1214 0.1066 0.09471 0.0945 0.0869 0.1178 0.08658 0.08005 0.1577 0.1359 0.1307 0.1121 "
        "0.1304 0.1136 0.167 0.08551 0.1065 0.105 0.08389 0.09185 0.125 0.1526 0.06633 0.134 "
        "0.1288 0.1517 0.0662 0.08774 0.105 0.1327 0.07401 0.1728 0.1002 0.1831 0.0709 0.1282 "
        "0.07349 0.09026 0.08397 0.1148 0.06091 0.144 0.0778 0.07787 0.1339 0.0737 0.1056 0.1337 "
        "0.1473 0.08392 0.09348 0.1558 0.1388 0.07438 0.1177 0.1147 0.08209 0.1273 0.06748 0.2205 "
        "0.1302 0.0834 0.1224 0.06021 0.09881 0.07992 0.207 0.1706 0.1206 0.08493 0.1053 0.06552 "
        "0.1325 0.1138 0.08213 0.08584 0.08296 0.06644 0.08913 0.09228 0.1229 0.05955 0.1084 "
        "0.1259 0.07089 0.08038 0.0642 0.08026 0.0821 0.1626 0.09916 0.1883 0.06994 0.06487 0.178 "
        "0.0579 0.1547 0.1353 0.3328 0.07015 0.06937 0.1623 0.06271 0.06523 0.08091 0.1246 "
        "0.07599 0.06975 0.1516 0.06138 0.2625 0.06152 0.06905 0.06694 0.09675 0.08325 0.07793 "
        "0.08662 0.08147 0.1025 0.05056 0.09128 0.06073 0.1254 0.07409 0.116 0.07591 0.09585 "
        "0.1734 0.09295 0.1014 0.1276 0.2259 0.1717 0.1905 0.1185 0.1671 0.2099 0.3978 0.1195 "
        "0.1239 0.07342 0.1313 0.06966 0.09834 0.06149 0.1724 0.1122 0.161 "
    ),
}
REGRESSION_SOLUTION = {
    "loss": _floats(
        "27.95 6.935 5.675 4.866 3.934 3.793 3.644 3.589 3.666 3.603 3.478 3.245 3.095 2.866 "
        "2.633 2.826 2.547 2.42 2.284 2.249 2.289 2.362 2.343 2.163 1.725 1.423 1.054 0.6956 "
        "0.4776 0.4436 0.4427 0.4339 0.3457 0.3587 0.2777 0.3056 0.3036 0.2621 0.1822 0.1661 "
        "0.1362 0.1233 0.1945 0.1993 0.1749 0.2637 0.3727 0.2015 0.177 0.139 0.1137 0.1633 0.1908 "
        "0.1394 0.1313 0.1315 0.1225 0.188 0.227 0.322 0.1414 0.09225 0.137 0.1015 0.1328 0.09021 "
        "0.08237 0.1069 0.09381 0.1184 0.1236 0.1209 0.1462 0.1374 0.1156 0.07193 0.06964 0.06431 "
        "0.06013 0.06218 0.05913 0.062 0.06561 0.06357 0.06386 0.06115 0.06051 0.06448 0.06301 "
        "0.06172 0.06044 0.06038 0.05789 0.0589 0.05624 0.05793 0.05952 0.06024 0.05941 0.05634 "
        "0.05897 0.05306 0.05678 0.05685 0.05871 0.05766 0.05454 0.05429 0.05699 0.05836 0.05487 "
        "0.05551 0.05557 0.05548 0.05343 0.05562 0.05506 0.05812 0.06221 0.05417 0.05483 0.05085 "
        "0.05205 0.05207 0.05117 0.05065 0.05165 0.05152 0.05206 0.05207 0.05058 0.05086 0.05023 "
        "0.05092 0.05062 0.0506 0.05047 0.05077 0.05048 0.05041 "
    ),
    "val_loss": _floats(
        "14.18 2.823 8.92 3.452 3.516 3.76 3.845 3.241 4.08 2.626 4.307 2.727 3.143 2.365 2.762 "
        "2.605 2.014 2.295 2.522 1.926 2.204 1.738 2.19 1.877 1.483 1.368 0.5527 0.5851 0.5061 "
        "0.9737 0.1988 0.5107 0.5431 0.1247 0.4193 0.7329 0.358 0.1739 0.246 0.1045 0.1625 0.142 "
        "0.162 0.1367 0.4295 0.2464 0.1962 0.1312 0.2045 0.09474 0.1897 0.1576 0.106 0.1466 0.165 "
        "0.1595 0.2446 0.1847 0.4403 0.2736 0.122 0.119 0.1284 0.1594 0.08793 0.1038 0.1183 "
        "0.1622 0.1496 0.2271 0.1359 0.2162 0.305 0.2127 0.1111 0.08575 0.09766 0.08569 0.07764 "
        "0.09103 0.08953 0.08677 0.07781 0.1096 0.08122 0.07856 0.08054 0.09742 0.07538 0.08484 "
        "0.07619 0.07595 0.0926 0.07806 0.07621 0.08172 0.08368 0.08146 0.07753 0.08102 0.07454 "
        "0.07692 0.08216 0.07443 0.08193 0.07799 0.07454 0.07388 0.08144 0.0684 0.07502 0.07766 "
        "0.08107 0.07203 0.07832 0.07488 0.07983 0.07814 0.08096 0.07366 0.07204 0.0716 0.07339 "
        "0.07156 0.07123 0.07486 0.07586 0.07738 0.0755 0.07346 0.07104 0.07318 0.07218 0.07128 "
        "0.07388 0.0716 0.07229 0.07314 0.07266 0.07252 "
    ),
}


@pytest.mark.parametrize(
    ("curves", "kwargs", "label"),
    [
        (good_fit, {"noise_floor": 0.04}, "good fit"),
        (good_fit, {}, "good fit"),
        (overfitting, {}, "overfitting"),
        (overfitting, {"noise_floor": 0.04}, "overfitting"),
        (underfitting_high_flat, {"noise_floor": 0.04}, "underfitting"),
        (still_falling, {}, "under-trained"),
        (high_and_still_falling, {"noise_floor": 0.04}, "under-trained"),
        (not_learning, {}, "underfitting"),
        (noise_free, {"noise_floor": 0}, "good fit"),
        (underfitting_high_flat, {"noise_floor": 0}, "underfitting"),
        (stopped_improving, {}, "good fit"),
        (unstable, {}, "unstable"),
        (unstable, {"noise_floor": 0.04}, "unstable"),
        (levelled_with_big_jitter, {"noise_floor": 0.04}, "good fit"),
        (levelled_with_big_jitter, {}, "good fit"),
    ],
)
def test_built_curves(curves, kwargs, label):
    d = diagnose(curves(), **kwargs)
    assert d.label == label, str(d)
    assert d.advice.startswith(label)
    assert f"diagnosis: {label}" in str(d)


def test_under_trained_and_underfitting_name_different_treatments():
    """Not converged: train longer. Too little capacity: a bigger model. Each its own table row."""
    slow = diagnose(still_falling())
    small = diagnose(underfitting_high_flat(), noise_floor=0.04)
    assert "train longer" in slow.advice and "bigger model" not in slow.advice
    assert "bigger model" in small.advice and "train longer" not in small.advice
    assert (slow.table_row, small.table_row) == ("under-trained", "underfitting")
    for d in (slow, small):
        assert "'Underfitting and overfitting' page" in d.advice
    assert set(TABLE_ROW) == set(LABELS)
    # each label is its own row, and the advice names that row, not another one
    assert "'under-trained')" in slow.advice and "underfitting" not in slow.advice


def test_each_label_is_its_own_row_of_the_fitting_page_table():
    """The page's table has one row per label, and the advice points at that row."""
    from conftest import REPO

    page = (REPO / "book" / "fitting.md").read_text(encoding="utf-8")
    table = page.split(":name: fitting-table", 1)[1].split(":::", 1)[0]
    rows = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| **")]
    assert [row.split("**")[1] for row in rows] == [TABLE_ROW[label] for label in LABELS]
    for key, template in messages.ADVICE.items():
        label = next(row[0] for row in RULES if row[2] == key)
        assert template.startswith(label), key
        assert label == "good fit" or f"'{TABLE_ROW[label]}')" in template, key


def test_the_decision_table_is_complete():
    """Every row names a label and advice; the last row always holds, so a label is always found."""
    assert {row[0] for row in RULES} == set(LABELS)
    assert [row[2] for row in RULES] == list(messages.ADVICE)  # one template per row, same order
    assert RULES[-1][1] == "always"  # the last row always holds
    facts = {"always": True, "a": True, "b": False}
    assert holds("a and not b", facts) and not holds("a and b", facts)
    # every condition reads only facts that _facts computes
    known = set(diagnose_module._facts(diagnose(good_fit()).evidence, 0.25, 1.5, 0.05, 2.5, 0.8))
    for _, condition, key in RULES:
        terms = {t.removeprefix("not ") for t in condition.split(" and ")}
        assert terms <= known, (key, terms - known)


def test_a_learning_rate_too_large_is_unstable_not_too_small_a_model():
    """The tester's case: the training loss found its valley, then jumped back up."""
    d = diagnose(LR_TOO_LARGE, noise_floor=0.04)
    assert d.label == "unstable" and d.table_row == "unstable", str(d)
    assert d.evidence["rule"] == "training rose"
    assert d.evidence["train_rise"] == pytest.approx(0.46, abs=0.02)
    assert d.evidence["train_best_epoch"] == 282
    assert "learning rate" in d.advice and "bigger model" not in d.advice
    assert "46% above its lowest level" in d.advice
    # what the unstable row shows in print(d)
    assert "lowest level 0.08699 at epoch 282" in str(d)


def test_a_single_spike_is_no_instability():
    """One bad epoch at the end moves no median: only a rise that lasts counts."""
    h = good_fit()
    h["loss"][-1] *= 5
    assert diagnose(h, noise_floor=0.04).label == "good fit"
    h["loss"][-10:] *= 5  # ten bad epochs of 20 in the level window: a lasting rise
    assert diagnose(h, noise_floor=0.04).label == "unstable"


def test_never_levelled_off_while_training_still_falls():
    """The regression solution's run: the training loss fell 13 % over the last quarter."""
    d = diagnose(REGRESSION_SOLUTION, noise_floor=0.04)
    assert d.evidence["train_trend"] == pytest.approx(-0.131, abs=0.005)
    assert d.label == "good fit", str(d)
    assert "levelled off" not in d.advice and "will not help" not in d.advice
    d = diagnose(stopped_improving())
    assert d.evidence["train_trend"] < -0.05 and "levelled off" not in d.advice
    assert "stopped improving" in d.advice


def test_restored_epoch_is_the_model_diagnosed():
    """The iris solution (L2, small model, early stopping) kept epoch 40 of 70."""
    whole = diagnose(IRIS_SOLUTION)
    assert whole.label == "overfitting"  # the 30 epochs after the restored one
    best = int(np.argmin(IRIS_SOLUTION["val_loss"])) + 1
    assert best == 40
    for how in ("min_val_loss", best):
        d = diagnose(IRIS_SOLUTION, best_epoch=how)
        assert d.label == "good fit", str(d)
        assert "add L2" not in d.advice and "epoch 40" in d.advice
        assert d.evidence["kept_epoch"] == 40 and d.evidence["epochs_after"] == 30
        assert d.evidence["train_final"] == pytest.approx(np.median(IRIS_SOLUTION["loss"][36:40]))
        assert "epoch kept:               40; the 30 epochs after it" in str(d)


def test_two_epochs_after_the_kept_one_prove_nothing():
    """Fewer later epochs than the level window (4 here) are no evidence that training on fails."""
    h = {key: values[:42] for key, values in IRIS_SOLUTION.items()}
    d = diagnose(h, best_epoch=40)
    assert d.evidence["epochs_after"] == 2 and d.evidence["window"] == 4
    assert d.label == "under-trained" and "did not lower" not in d.advice, str(d)


def test_keeping_an_epoch_before_the_best_is_pointed_out():
    d = diagnose(IRIS_SOLUTION, best_epoch=20)
    assert d.label == "under-trained", str(d)  # the curves still fell steeply at epoch 20
    assert "a later epoch reached a 34% lower validation loss than epoch 20" in d.advice


class FakeEarlyStopping:
    """What diagnose reads from keras.callbacks.EarlyStopping after fit (0-based best_epoch)."""

    def __init__(self, restore_best_weights, best_epoch, best_weights=(1.0,)):
        self.restore_best_weights = restore_best_weights
        self.best_epoch = best_epoch
        self.best_weights = best_weights


def test_early_stopping_callback_gives_the_kept_epoch():
    d = diagnose(IRIS_SOLUTION, best_epoch=FakeEarlyStopping(True, 39))
    assert d.evidence["kept_epoch"] == 40 and d.label == "good fit"
    # without restore_best_weights the model holds the last epoch's weights
    d = diagnose(IRIS_SOLUTION, best_epoch=FakeEarlyStopping(False, 39))
    assert d.evidence["kept_epoch"] == 70 and d.label == "overfitting"
    with pytest.raises(ValueError, match="has not used yet"):
        diagnose(IRIS_SOLUTION, best_epoch=FakeEarlyStopping(True, 0, best_weights=None))


@pytest.mark.parametrize("bad", [0, 71, -1, 2.5, True, "best"])
def test_rejects_bad_best_epoch(bad):
    with pytest.raises((TypeError, ValueError), match="argument best_epoch: expected"):
        diagnose(IRIS_SOLUTION, best_epoch=bad)


def test_evidence_numbers_are_those_of_the_curves():
    h = overfitting()
    d = diagnose(h)
    e = d.evidence
    assert e["n_epochs"] == e["kept_epoch"] == 200 and e["epochs_after"] == 0
    assert e["val_min"] == pytest.approx(min(h["val_loss"]))
    levels = [np.median(h["val_loss"][max(0, i - 19) : i + 1]) for i in range(200)]
    assert e["val_best_level"] == pytest.approx(min(levels))
    assert e["val_best_epoch"] == int(np.argmin(levels)) + 1
    # the built curve bottoms out at epoch ~53; a trailing 20-epoch median lags by ~10
    assert 50 <= e["val_best_epoch"] <= 75
    assert e["train_final"] == pytest.approx(np.median(h["loss"][-20:]))
    assert e["val_rise"] == pytest.approx(e["val_final"] / e["val_best_level"] - 1)
    assert e["gap_ratio"] == pytest.approx(e["val_final"] / e["train_final"])
    assert e["val_rise"] > 0.25 and e["gap_ratio"] > 1.5


def test_thresholds_change_the_verdict():
    """Raising the tolerances turns the overfitting curves into no overfitting."""
    h = overfitting()
    assert diagnose(h).label == "overfitting"
    assert diagnose(h, gap_tol=100.0).label != "overfitting"
    # without a noise floor the stalled curves look converged; with one they underfit
    assert diagnose(underfitting_high_flat()).label == "good fit"
    assert diagnose(underfitting_high_flat(), noise_floor=0.04).label == "underfitting"


def test_one_lucky_epoch_is_no_minimum():
    """A single low validation epoch at the end must not hide a rising curve."""
    h = overfitting()
    h["val_loss"][-1] = 0.01
    assert diagnose(h).label == "overfitting"


def test_accepts_a_history_like_object():
    class History:
        history = good_fit()

    d = diagnose(History())
    assert isinstance(d, Diagnosis) and d.label in LABELS


def test_noise_floor_zero_works_and_prints_well():
    d = diagnose(noise_free(), noise_floor=0)
    assert d.evidence["noise_floor"] == 0 and d.evidence["train_over_floor"] == float("inf")
    assert "noise-free data: the floor is 0" in str(d) and "inf times" not in str(d)
    d = diagnose({"loss": [0.0, 0.0], "val_loss": [0.0, 0.0]}, noise_floor=0)
    assert d.label == "good fit" and d.evidence["gap_ratio"] == 1.0


@pytest.mark.parametrize("floor", [-1, -1e-9, float("nan"), float("inf"), "0.04", True])
def test_rejects_bad_noise_floor(floor):
    with pytest.raises((TypeError, ValueError), match=r"noise_floor: expected a number >= 0.*got"):
        diagnose(good_fit(), noise_floor=floor)


def test_one_epoch_gives_a_clear_message():
    d = diagnose({"loss": [1.0], "val_loss": [1.1]})
    assert d.label == "under-trained"
    assert "one epoch is too few" in d.advice and "more epochs" in d.advice
    str(d)  # prints without error


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"loss": [1.0, 0.5]}, r"got one without val_loss.*validation_split=0\.2"),
        ({"loss": [], "val_loss": []}, r"at least one epoch.*got 0 and 0 values"),
        ({"loss": [1.0, 0.5, 0.4], "val_loss": [1.0, 0.5]}, "3 values of loss and 2 of val_loss"),
        ({"loss": [1.0, float("nan")], "val_loss": [1.0, 0.5]}, r"NaN or infinity at epoch\(s\) 2"),
        (
            {"loss": [1.0, 0.5], "val_loss": [float("inf"), 0.5]},
            r"epoch\(s\) 1 of 2.*learning rate",
        ),
        ({"loss": [1.0, -0.5], "val_loss": [1.0, 0.5]}, "losses >= 0"),
        ([1.0, 0.5], "expected the History that fit"),
    ],
)
def test_rejects_bad_histories(history, message):
    with pytest.raises((TypeError, ValueError), match=message):  # TypeError: not a history
        diagnose(history)


@pytest.mark.parametrize(
    ("epochs", "words"),
    [
        (10, "one epoch's loss"),
        (20, "the mean of 2 epochs' losses"),
        (50, "the median of 5 epochs'"),
    ],
)
def test_the_report_says_what_a_level_is_for_the_runs_length(epochs, words):
    """A median smooths a jump only over 3 epochs or more: short runs are told so."""
    h = {"loss": list(np.linspace(2, 1, epochs)), "val_loss": list(np.linspace(2.1, 1.05, epochs))}
    report = str(diagnose(h))
    assert f"(a level: {words}" in report
    assert ("one jump does not move" in report) == (epochs == 50)
