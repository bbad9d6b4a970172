/* SPDX-License-Identifier: GPL-3.0-or-later */
/* png: a picture written to a file the safe way. */
#include "png.h"

#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The picture goes into a file opened here: never through a symlink (a
 * session folder's report.png could point anywhere), and every write
 * error (a full disk, /dev/full) is an error, not a 0-byte picture. */
int png_save(SDL_Surface *s, const char *png, char *err, size_t errlen)
{
    int fd = open(png, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", png, errno == ELOOP
                 ? "is a symbolic link: not written through (remove it, or give --out)"
                 : strerror(errno));
        return -1;
    }
    struct stat st;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    FILE *fp = fdopen(fd, "wb");
    SDL_RWops *rw = fp ? SDL_RWFromFP(fp, SDL_FALSE) : NULL;
    int rc = rw ? IMG_SavePNG_RW(s, rw, 0) : -1;
    if (rw)
        SDL_RWclose(rw);
    int e = 0;
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", png, rw ? IMG_GetError() : "cannot open");
    else if (fflush(fp) != 0 || ferror(fp) || (fsync(fd) < 0 && errno != EINVAL && errno != EROFS))
        e = errno ? errno : EIO;
    if (fp ? fclose(fp) != 0 : close(fd) < 0)
        e = e ? e : errno;
    if (rc == 0 && e) {
        snprintf(err, errlen, "%s: %s", png, strerror(e));
        rc = -1;
    }
    if (rc < 0 && regular)
        unlink(png); /* no half a picture left behind */
    return rc < 0 ? -1 : 0;
}
