#!/usr/bin/env bash
# Installs what training needs from Debian's packages (no PyPI here) and checks it imports.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
  python3-torch python3-torchvision python3-onnx python3-opencv python3-numpy python3-pil
/usr/bin/python3 -c "import torch, torchvision, onnx, cv2, numpy, PIL; print('torch', torch.__version__, 'onnx', onnx.__version__, 'cv2', cv2.__version__)"
