package org.tandemrc.support.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * JPEG for photo-like pictures at the lossy quality presets, through the JDK's codec: the Host's tiles
 * and the console's pictures for the browser.
 */
public final class Jpeg {

    private Jpeg() {
    }

    /** One writer per encoding thread: looking one up costs more than encoding a tile. */
    private static final ThreadLocal<ImageWriter> WRITER = ThreadLocal.withInitial(() -> {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IllegalStateException("this Java has no JPEG encoder");
        }
        return it.next();
    });

    /** Encodes {@code 0x00RRGGBB} pixels at a quality of 1 to 100. */
    public static byte[] encode(int[] pixels, int w, int h, int quality) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, w, h, pixels, 0, w);
        ImageWriter writer = WRITER.get();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        ByteArrayOutputStream out = new ByteArrayOutputStream(w * h / 2);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.reset();
        }
        return out.toByteArray();
    }

    /**
     * Decodes a tile's JPEG into {@code 0x00RRGGBB} pixels.
     *
     * @throws IllegalArgumentException when the data is no JPEG of exactly {@code w x h}
     */
    public static int[] decode(byte[] data, int w, int h) {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IllegalStateException("this Java has no JPEG decoder");
        }
        ImageReader reader = it.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            if (reader.getWidth(0) != w || reader.getHeight(0) != h) {
                throw new IllegalArgumentException("a JPEG tile of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + " where " + w + "x" + h + " was announced");
            }
            BufferedImage image = reader.read(0);
            return image.getRGB(0, 0, w, h, null, 0, w);
        } catch (IOException e) {
            throw new IllegalArgumentException("a JPEG tile does not decode: " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }
}
