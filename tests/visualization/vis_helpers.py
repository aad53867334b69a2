"""Helpers shared by the visualization tests."""
import struct

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def png_size(path):
    """(width, height) of a PNG file; fails when it is not a PNG."""
    with open(path, 'rb') as f:
        head = f.read(24)
    assert head[:8] == PNG_SIGNATURE, f'{path} is not a PNG'
    assert head[12:16] == b'IHDR'
    return struct.unpack('>II', head[16:24])


def png_dpi(path):
    """Horizontal resolution of a PNG in dots per inch (its pHYs chunk)."""
    from PIL import Image
    with Image.open(path) as image:
        return image.info['dpi'][0]
