"""The sculpt engine's 3D figure: head fit, hair, body, pose, clothes, scene and render."""
