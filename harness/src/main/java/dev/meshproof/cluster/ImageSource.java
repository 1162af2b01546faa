package dev.meshproof.cluster;

import java.nio.file.Path;

/**
 * Where {@link ImagePreload} takes an image from without a registry: a tarball ({@code docker save} format) that
 * holds it. A directory of saved tars, or the local Docker engine saving it on demand.
 */
public interface ImageSource {

    /** A tar that holds {@code image}; exit 3 naming the image and what to do when there is none. */
    Path tarFor(String image);

    /** One line for progress output, e.g. "saved images in /srv/images". */
    String describe();
}
