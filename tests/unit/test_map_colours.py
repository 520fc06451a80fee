"""Province shading never looks like water: with no tiles the sea is pale blue (issue 18 item 5)."""
import colorsys

import pytest

from dashboard import maps


def hls(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, l, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, l, s


def test_the_sea_is_blue():
    hue, _, sat = hls(maps.NO_TILES_BACKGROUND)
    assert 170 <= hue <= 260 and sat > 0.1


@pytest.mark.parametrize("ramp", [maps.CHOROPLETH_COLOURS, maps.CHOROPLETH_UNDER_MARKERS, maps.CLASS_COLOURS])
def test_no_shade_is_a_blue_or_cyan_like_the_sea(ramp):
    for colour in ramp:
        hue, light, sat = hls(colour)
        assert not (150 <= hue <= 270), f"{colour} has a water hue ({hue:.0f}°)"
        assert sat > 0.5, f"{colour} is too grey to tell from the pale sea"


@pytest.mark.parametrize("ramp", [maps.CHOROPLETH_COLOURS, maps.CHOROPLETH_UNDER_MARKERS, maps.CLASS_COLOURS])
def test_ramp_runs_from_light_to_dark(ramp):
    lightness = [hls(c)[1] for c in ramp]
    assert lightness == sorted(lightness, reverse=True)
