"""The tutorial's loop in PyTorch, for the E2E figure of `npm run bench`:
CIFAR-10 test batch -> ToTensor -> DataLoader(64) -> Conv2d(3, 6, 3) -> add_images' grid of the
input and of the output reshaped to (-1, 3, 30, 30) -> PNG, one pair of files per step.

The dataset reads the binary test_batch.bin but hands out items exactly as torchvision's CIFAR10
does (PIL image, then ToTensor). The grid, scaling and PNG encoding are TensorBoard's add_images
(torch/utils/tensorboard/_utils.py make_grid and summary.py make_image), copied because
Debian's python3-torch comes without the tensorboard package that SummaryWriter imports.

Usage: /usr/bin/python3 e2e_torch.py <test_batch.bin> <out dir> <runs>. Prints one JSON line
with the loop's wall time per run (imports and file reading excluded).
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Cifar10Binary(Dataset):
    def __init__(self, path):
        raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3073)
        self.targets = raw[:, 0].tolist()
        self.data = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy()  # HWC, as torchvision
        self.transform = transforms.ToTensor()

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img = Image.fromarray(self.data[index])
        return self.transform(img), self.targets[index]


def make_grid(I, ncols=8):
    # tensorboard/_utils.py make_grid: no padding between tiles
    if I.shape[1] == 1:
        I = np.concatenate([I, I, I], 1)
    nimg, _, H, W = I.shape
    ncols = min(nimg, ncols)
    nrows = int(np.ceil(float(nimg) / ncols))
    canvas = np.zeros((3, H * nrows, W * ncols), dtype=I.dtype)
    i = 0
    for y in range(nrows):
        for x in range(ncols):
            if i >= nimg:
                break
            canvas[:, y * H:(y + 1) * H, x * W:(x + 1) * W] = I[i]
            i = i + 1
    return canvas


def add_images_png(tensor, path):
    grid = make_grid(tensor.detach().numpy()).transpose(1, 2, 0)
    image = (grid * 255.0).clip(0, 255).astype(np.uint8)
    Image.fromarray(image).save(path, format="PNG")


def main():
    data_path, out_dir, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    dataset = Cifar10Binary(data_path)
    times = []
    for _ in range(runs):
        os.makedirs(os.path.join(out_dir, "input"), exist_ok=True)
        os.makedirs(os.path.join(out_dir, "output"), exist_ok=True)
        t = time.perf_counter()
        torch.manual_seed(0)
        conv = torch.nn.Conv2d(3, 6, 3)
        loader = DataLoader(dataset, batch_size=64)
        with torch.no_grad():
            for step, (x, _) in enumerate(loader):
                y = conv(x)
                add_images_png(x, os.path.join(out_dir, "input", f"{step:06d}.png"))
                add_images_png(y.reshape(-1, 3, 30, 30), os.path.join(out_dir, "output", f"{step:06d}.png"))
        times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"peer": "pytorch", "runsMs": times, "steps": math.ceil(len(dataset) / 64), "version": torch.__version__}))


if __name__ == "__main__":
    main()
