/*
 * io.c - io.h as C module code uses it: create, write, seek, read back, length and end of file,
 * resize, access checks, read-only permission, _O_TEMPORARY, descriptors as file HANDLEs, the
 * wide-path forms, and the errors the CRT reports.
 */
#include <io.h>

#include <string.h>

#include "check.h"

int main(void)
{
    char dir[64], path[256], back[256], buf[16];
    WCHAR wpath[256];
    int fd, fd2, dupped;
    errno_t err;
    HANDLE h;
    DWORD got = 0;

    snprintf(dir, sizeof dir, "/tmp/iishost-io-%d", (int)getpid());
    CHECK(CreateDirectoryA(dir, NULL));
    snprintf(path, sizeof path, "%s/data.bin", dir);
    snprintf(back, sizeof back, "%s\\data.bin", dir); /* the Windows separator */

    fd = _open(back, _O_CREAT | _O_RDWR | _O_BINARY | _O_EXCL, _S_IREAD | _S_IWRITE);
    CHECK(fd >= 0);
    CHECK_EQ(_write(fd, "hello world", 11), 11);
    CHECK_EQ(_tell(fd), 11);
    CHECK_EQ(_eof(fd), 1);
    CHECK_EQ(_lseek(fd, 6, SEEK_SET), 6);
    CHECK_EQ(_eof(fd), 0);
    CHECK_EQ(_read(fd, buf, sizeof buf), 5);
    CHECK(memcmp(buf, "world", 5) == 0);
    CHECK_EQ(_filelength(fd), 11);
    CHECK_EQ(_chsize(fd, 5), 0);
    CHECK_EQ(_filelengthi64(fd), 5);
    CHECK_EQ(_chsize_s(fd, 20), 0);
    CHECK_EQ(_lseeki64(fd, 0, SEEK_END), 20);
    CHECK_EQ(_telli64(fd), 20);
    CHECK_EQ(_commit(fd), 0);
    CHECK_EQ(_setmode(fd, _O_TEXT), _O_BINARY); /* only binary mode exists */
    CHECK_EQ(_setmode(fd, 12345), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(_isatty(fd), 0);

    /* The same descriptor as a file HANDLE, and back. */
    h = (HANDLE)_get_osfhandle(fd);
    CHECK(h != INVALID_HANDLE_VALUE && SetFilePointer(h, 0, NULL, FILE_BEGIN) == 0);
    CHECK(ReadFile(h, buf, 5, &got, NULL) && got == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(_open_osfhandle((intptr_t)h, _O_RDONLY), fd);
    CHECK_EQ(_get_osfhandle(-5), -1);
    CHECK_EQ(errno, EBADF);

    dupped = _dup(fd);
    CHECK(dupped >= 0 && dupped != fd);
    fd2 = _open(path, _O_RDONLY);
    CHECK_EQ(_dup2(dupped, fd2), 0); /* 0, not the descriptor */
    CHECK_EQ(_close(dupped), 0);
    CHECK_EQ(_close(fd2), 0);
    CHECK_EQ(_close(fd), 0);
    CHECK_EQ(_close(fd), -1);
    CHECK_EQ(errno, EBADF);

    /* Exclusive creation of an existing file. */
    CHECK_EQ(_open(path, _O_CREAT | _O_EXCL | _O_WRONLY, _S_IWRITE), -1);
    CHECK_EQ(errno, EEXIST);
    err = _sopen_s(&fd, path, _O_RDONLY, _SH_DENYWR, 0);
    CHECK(err == 0 && fd >= 0);
    _close(fd);
    err = _sopen_s(&fd, "/no/such/dir/file", _O_RDONLY, _SH_DENYNO, 0);
    CHECK_EQ(err, ENOENT);
    CHECK_EQ(fd, -1);

    /* Access and the read-only bit. */
    CHECK_EQ(_access(path, 0), 0);
    CHECK_EQ(_access(path, 6), 0);
    CHECK_EQ(_access(path, 1), -1); /* execute is not a CRT mode */
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(_access_s("/no/such/file", 0), ENOENT);
    CHECK_EQ(_chmod(path, _S_IREAD), 0);
    CHECK_EQ(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_READONLY);
    CHECK_EQ(_chmod(path, _S_IREAD | _S_IWRITE), 0);
    CHECK_EQ(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY, 0);

    /* Wide paths. */
    CHECK(MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, 256) > 0);
    fd = _wopen(wpath, _O_RDONLY);
    CHECK(fd >= 0);
    _close(fd);
    CHECK_EQ(_waccess(wpath, 4), 0);
    CHECK_EQ(_waccess_s(wpath, 2), 0);
    CHECK_EQ(_wchmod(wpath, _S_IREAD | _S_IWRITE), 0);
    CHECK_EQ(_wsopen_s(&fd, wpath, _O_RDONLY, _SH_DENYNO, 0), 0);
    _close(fd);

    /* _O_TEMPORARY: gone from the directory at once, readable until closed. */
    snprintf(back, sizeof back, "%s/temp.bin", dir);
    fd = _open(back, _O_CREAT | _O_RDWR | _O_TEMPORARY, _S_IREAD | _S_IWRITE);
    CHECK(fd >= 0);
    CHECK_EQ(_access(back, 0), -1);
    CHECK_EQ(_write(fd, "x", 1), 1);
    _close(fd);

    /* _creat, then the unlinks. */
    snprintf(back, sizeof back, "%s/created.txt", dir);
    fd = _creat(back, _S_IWRITE);
    CHECK(fd >= 0);
    _close(fd);
    CHECK_EQ(_unlink(back), 0);
    CHECK_EQ(_unlink(back), -1);
    CHECK_EQ(errno, ENOENT);
    CHECK_EQ(_wunlink(wpath), 0);
    CHECK(RemoveDirectoryA(dir));
    return check_finish();
}
