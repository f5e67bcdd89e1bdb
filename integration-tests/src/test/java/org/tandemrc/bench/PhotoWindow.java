package org.tandemrc.bench;

import java.awt.Canvas;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.image.BufferedImage;
import java.util.Random;

/** A window of photo-like, changing content (a noisy, moving gradient) for the remote-control benchmark. */
public final class PhotoWindow {

    private PhotoWindow() {
    }

    public static void main(String[] args) throws Exception {
        int w = 480;
        int h = 320;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Canvas canvas = new Canvas() {
            @Override
            public void paint(Graphics g) {
                g.drawImage(img, 0, 0, null);
            }

            @Override
            public void update(Graphics g) {
                paint(g);
            }
        };
        Frame frame = new Frame("photo");
        frame.add(canvas);
        frame.setBounds(1300, 100, w, h);
        frame.setVisible(true);
        Random r = new Random(5);
        for (int t = 0; ; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (int) (128 + 70 * Math.sin((x + t * 3) / 41.0) * Math.cos((y - t * 2) / 29.0)) + r.nextInt(20);
                    int c = Math.max(0, Math.min(255, v));
                    img.setRGB(x, y, c << 16 | Math.min(255, c + 25) << 8 | Math.max(0, c - 35));
                }
            }
            canvas.repaint();
            Thread.sleep(100); // 10 pictures a second, like a small video
        }
    }
}
