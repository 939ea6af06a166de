"""An OSError met while publishing, verifying or repairing, as a sentence for the user: which file
or folder, what went wrong, what to do, in Chinese. The refusals of publish/ are exceptions whose
message is that sentence; the commands print it and exit with status 1, never a traceback."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterator
from pathlib import Path

# errno → (what happened, what to do)
_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("磁盘已满", "请腾出磁盘空间（或用较小的 --keep 少留旧版本）后重试"),
    errno.EDQUOT: ("磁盘配额已用完", "请腾出空间或提高配额后重试"),
    errno.EROFS: ("所在文件系统是只读的", "请把它重新挂载为可写，或换一个可写的目录"),
    errno.EACCES: ("没有权限", "请检查它和上级目录的所有者与权限，或换有权限的用户运行"),
    errno.EPERM: ("操作不被允许", "请检查它和上级目录的所有者、权限与不可变属性（lsattr），或换有权限的用户运行"),
    errno.ENOENT: ("不存在", "请检查路径是否写对，或它是否已被删除"),
    errno.ENOTDIR: ("路径中有一段不是目录", "请检查路径是否写对"),
    errno.EISDIR: ("是目录而不是文件", "请检查路径是否写对"),
    errno.EEXIST: ("已经存在（不是目录）", "请换一个路径，或移走占着它的文件"),
    errno.ELOOP: ("符号链接过多或形成循环", "请检查路径上的符号链接"),
    errno.ENAMETOOLONG: ("路径过长", "请换一个较短的路径"),
    errno.EIO: ("读写出错（I/O 错误）", "请检查磁盘是否损坏（dmesg），修好后重试"),
    errno.EMFILE: ("打开的文件过多", "请提高打开文件数的上限（ulimit -n）后重试"),
    errno.ENFILE: ("系统打开的文件过多", "请稍后重试"),
    errno.EBUSY: ("正被占用", "请等占用它的程序结束后重试"),
    errno.EXDEV: ("不在同一个文件系统上", "请把它们放在同一个文件系统上"),
}


def os_failure(error: OSError, path: str | Path | None = None) -> str:
    """`error` as a sentence naming the file or folder (the error's own, else `path`)."""
    where = error.filename if error.filename is not None else path
    if isinstance(where, bytes):
        where = where.decode("utf-8", "replace")
    name = errno.errorcode.get(error.errno or 0, "")
    happened, todo = _REASONS.get(error.errno or 0, (f"系统错误（{error.strerror or error}）", "请检查它后重试"))
    code = f"（{name}）" if name else ""
    if error.filename2 is not None:
        return f"{where} → {error.filename2}：{happened}{code}。{todo}。"
    return f"{where if where is not None else '（未知文件）'}：{happened}{code}。{todo}。"


@contextlib.contextmanager
def os_errors_as(refusal: Callable[[str], Exception], path: str | Path | None = None, then: str = "") -> Iterator[None]:
    """Turn an OSError raised in the block into `refusal(sentence)`, the sentence naming `path`
    when the error names no file, followed by `then` (what state things were left in)."""
    try:
        yield
    except OSError as error:
        raise refusal(os_failure(error, path) + then) from None
