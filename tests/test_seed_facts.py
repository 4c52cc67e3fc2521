"""Every fact of the course page is in the database and reachable through some `mdl` command."""

from __future__ import annotations

import pytest

from .conftest import Run

# (command, text it must print): the facts of the page, one by one, transcribed by hand.
FACTS = [
    ("info", "Topics course · CSCI-GA 3033 · NYU · Spring 2019"),
    ("info", "Mathematics of Deep Learning"),
    ("info", "Mondays\t19:10–21:00 EST/EDT\tCIWW 102"),
    ("info", "Tutoring Session with Parallel Curricula\tFridays\t11:00–12:15 EST/EDT\tCIWW 101\toptional"),
    ("info", "Office Hours\tTuesdays\t09:30–11:00 EST"),
    ("info", "https://piazza.com/nyu/spring2019/csciga3033"),
    ("info", "Lecture Instructor\tJoan Bruna\tbruna@cims.nyu.edu"),
    ("info", "Tutor (Parallel Curricula)\tLuca Venturi\tlv800@nyu.edu"),
    ("info", "Depth First Learning"),
    ("syllabus", "glimpse into the emerging mathematical questions around Deep Learning"),
    ("syllabus", "inverse curriculum on the Neural ODE paper by Chen et al."),
    ("syllabus", "Introduction: the Curse of Dimensionality"),
    ("syllabus", "Euclidean Geometry: transportation metrics, CNNs, scattering."),
    ("syllabus", "Unsupervised Learning under Geometric Priors (Implicit vs explicit models, microcanonical"),
    ("syllabus", "Applications and Open Problems: adversarial examples, graph inference, inverse problems."),
    ("syllabus", "Stochastic Optimization (Robbins & Munro, Convergence of SGD)"),
    ("syllabus", "Stochastic Differential Equations (Fokker-Plank, Gradient Flow, Langevin Dynamics"),
    ("syllabus", "Dynamics of Neural Network Optimization (Mean Field Models using Optimal Transport, Kernel Methods)"),
    ("syllabus", "Landscape of Deep Learning Optimization (Tensor/Matrix factorization, Deep Nets; open problems)."),
    ("syllabus", "Generalization in Deep Learning."),
    ("syllabus", "Part III (time permitting): Open qustions on Reinforcement Learning"),
    ("syllabus", "Multivariate Calculus"),
    ("syllabus", "Probability and Statistics"),
    ("syllabus", "solid undergraduate level"),
    ("syllabus", "Harmonic Analysis"),
    ("syllabus", "Differential Geometry"),
    ("syllabus", "nice-to-have, but not essential"),
    ("syllabus", "an in-depth survey of a topic related to the syllabus"),
    ("syllabus", "a participation grade"),
    ("deadlines", "The detailed abstract of the project will be graded at the mid-term."),
    ("deadlines", "Final project\tWed 2019-05-01 23:59 EDT"),
    ("deadlines", "by email to the instructors"),
    ("curriculum", "NeuralODE"),
    ("curriculum", "Numerical solution of ODEs I"),
    ("curriculum", "ODEs are used to mathematically model a number of natural processes and phenomena."),
    ("curriculum", "Sections 12.1-4 from An Introduction to Numerical Analysis (‘INA’)"),
    ("curriculum", "Sections 11.1-3 from Numerical Mathematics (‘NM’)"),
    ("schedule", "1\tWed 2019-01-23\t19:10–21:00 EST\tguest-lecture\t\tGuest lecture\tArthur Szlam (Facebook)"),
    (
        "schedule",
        "2\tWed 2019-01-30\t19:10–21:00 EST\tlecture\tLec2\tEuclidean Geometric Stability.\t\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture2.pdf\tlec2",
    ),
    (
        "schedule",
        "3\tWed 2019-02-06\t19:10–21:00 EST\tguest-lecture\t\tGuest lecture\tLeon Bottou (Facebook/NYU)\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/bottou-02.06.2018.pdf\tlec3",
    ),
    (
        "schedule",
        "4\tWed 2019-02-13\t19:10–21:00 EST\tlecture\tLec3\tScattering Transforms and CNNs\t\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture3.pdf\tlec3",
    ),
    (
        "schedule",
        "Lec4\tNon-Euclidean Geometric Stability. Gromov-Hausdorff distances. Graph Neural Nets\t\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture4.pdf\tlec4",
    ),
    (
        "schedule",
        "6\tWed 2019-02-27\t19:10–21:00 EST\tlecture\tLec5\tGraph Neural Network Applications\t\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture5.pdf\tlec5",
    ),
    (
        "schedule",
        "Lec6\tUnsupervised Learning under Geometric Priors. Implicit vs Explicit models. Optimal Transport models. "
        "Microcanonical Models. Open Problems\t\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture6.pdf\tlec6",
    ),
    # The slides field of a pipe is the address itself (the page links each lecture's slides).
    # The page dates the break 3/13, a day of its week; the database gives the week, Monday to Sunday.
    ("schedule", "8\tMon 2019-03-11\tMon 2019-03-11 – Sun 2019-03-17\tbreak\t\tSpring Break"),
    (
        "schedule",
        "9\tWed 2019-03-20\t19:10–21:00 EDT\tlecture\tLec7\tDiscrete vs Continuous Time Optimization. The Convex Case.",
    ),
    (
        "schedule",
        "Lec8\tDiscrete vs Continuous Time Optimization. Stochastic and Non-convex case\t\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture8.pdf\tlec8",
    ),
    ("schedule", "11\tWed 2019-04-03\t19:10–21:00 EDT\tlecture\tLec9\tGradient Descent on Non-convex Optimization.\t"),
    ("schedule", "Lec10\tGradient Descent on Non-convex Optimization. Escaping Saddle Points efficiently."),
    ("schedule", "Lec11\tLandscape of Deep Learning Optimization. Spin Glasses, Kac-Rice, RKHS, Topology."),
    (
        "schedule",
        "14\tWed 2019-04-24\t19:10–21:00 EDT\tguest-lecture\tLec12\tGeneralization in Deep Learning\tBehnam Neyshabur (IAS/NYU)",
    ),
    ("schedule", "15\tWed 2019-05-01\t19:10–21:00 EDT\tlecture\tLec13\tStability. Open Problems.\t\t\t\t"),
]


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    from typer.testing import CliRunner

    from mdlcli.cli import app

    commands = {fact[0] for fact in FACTS}
    return {
        c: CliRunner().invoke(app, [c, "--now", "2019-01-01"] if c in ("schedule", "deadlines") else [c]).stdout
        for c in commands
    }


@pytest.mark.parametrize(("command", "text"), FACTS, ids=[f"{c}:{t[:30]}" for c, t in FACTS])
def test_fact_is_shown(outputs: dict[str, str], command: str, text: str) -> None:
    """The fact appears, as written on the page, in the piped output of its command."""
    assert text in outputs[command]


def test_slides_link_per_lecture(run: Run) -> None:
    """Each session with slides gives its address through `mdl refs`."""
    assert (
        "slides\thttps://github.com/joanbruna/MathsDL-spring18/blob/master/lectures/lecture12_behnamneyshabur.pdf"
        in (run("refs", "lec12").stdout)
    )
    assert "lectures/bottou-02.06.2018.pdf" in run("refs", "week3").stdout
