"""The sculpt engine's 3D figure: head fit, hair, body, pose, clothes, scene and render."""

from ..box.scenes import register_piece_renderer, register_scene


def _desk(parts: list, box_image, width: int, height: int):
    from .desk import desk_scene  # on first use: importing this package must stay cheap

    return desk_scene(parts, box_image, width, height)


def _piece(key: str, height: int, *, tint=None):
    from .pieces import render_piece
    from .render import RenderError

    try:
        return render_piece(key, height, tint=tint)
    except RenderError:  # no OpenGL here: the box draws the flat art
        return None


register_scene("desk", _desk)
register_piece_renderer(_piece)
