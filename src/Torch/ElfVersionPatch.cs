using System.Buffers.Binary;
using System.Text;

namespace Alrs.Torch;

/// <summary>
/// Relaxes one symbol-version requirement of an ELF64 shared library, in memory.
///
/// TorchSharp 0.107.0's libLibTorchSharp.so is built with GCC 13 and asks for
/// GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks. The only symbol bound to that
/// version is <c>_ZSt21ios_base_library_initv</c>, which GCC 13's &lt;iostream&gt;
/// references merely to pin the library version; nothing calls it. Marking the
/// version need weak (VER_FLG_WEAK) and making that symbol unversioned lets the
/// dynamic loader accept the library. Nothing else in the file changes.
/// </summary>
public static class ElfVersionPatch
{
    public const string MissingVersion = "GLIBCXX_3.4.32";
    public const string PinningSymbol = "_ZSt21ios_base_library_initv";

    const uint ShtDynsym = 11;
    const uint ShtGnuVersym = 0x6fffffff;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;
    const ushort VersymGlobal = 1;

    /// <summary>What the patch found (or changed) in a library image.</summary>
    public enum Outcome { NotNeeded, AlreadyPatched, Patched }

    /// <summary>
    /// Patches <paramref name="image"/> in place. Throws <see cref="InvalidDataException"/>
    /// when the file is not the ELF64 library we expect, or when symbols other than the
    /// pinning one depend on the missing version (relaxing it would then be unsafe).
    /// </summary>
    public static Outcome Apply(byte[] image)
    {
        var elf = new Sections(image);
        var verneed = elf.Single(ShtGnuVerneed, ".gnu.version_r");
        var versym = elf.Single(ShtGnuVersym, ".gnu.version");
        var dynsym = elf.Single(ShtDynsym, ".dynsym");

        var (auxOffset, versionIndex) = FindVersionNeed(image, elf, verneed);
        if (auxOffset < 0) return Outcome.NotNeeded;

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(auxOffset + 4));
        var dynstr = elf.Link(dynsym);
        var symbolCount = (int)(elf.Size(dynsym) / 24);
        var changed = (flags & VerFlgWeak) == 0;

        for (var i = 0; i < symbolCount; i++)
        {
            var versymAt = (int)elf.Offset(versym) + 2 * i;
            var version = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(versymAt)) & 0x7fff;
            if (version != versionIndex) continue;
            var nameAt = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)elf.Offset(dynsym) + 24 * i));
            var name = elf.String(dynstr, nameAt);
            if (name != PinningSymbol)
                throw new InvalidDataException(
                    $"symbol '{name}' also needs {MissingVersion}; relaxing that version would be unsafe");
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(versymAt), VersymGlobal);
            changed = true;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(auxOffset + 4), (ushort)(flags | VerFlgWeak));
        return changed ? Outcome.Patched : Outcome.AlreadyPatched;
    }

    /// <summary>The file offset of the Vernaux entry naming the missing version, and its index.</summary>
    static (int AuxOffset, int VersionIndex) FindVersionNeed(byte[] image, Sections elf, int verneed)
    {
        var strings = elf.Link(verneed);
        var entry = (int)elf.Offset(verneed);
        var end = entry + (int)elf.Size(verneed);
        while (entry < end)
        {
            var count = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(entry + 2));
            var aux = entry + (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry + 8));
            for (var a = 0; a < count; a++)
            {
                var nameAt = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(aux + 8));
                if (elf.String(strings, nameAt) == MissingVersion)
                    return (aux, BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(aux + 6)) & 0x7fff);
                var nextAux = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(aux + 12));
                if (nextAux == 0) break;
                aux += (int)nextAux;
            }
            var next = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(entry + 12));
            if (next == 0) break;
            entry += (int)next;
        }
        return (-1, -1);
    }

    /// <summary>Read-only view of an ELF64 little-endian section header table.</summary>
    sealed class Sections
    {
        readonly byte[] _image;
        readonly long _tableOffset;
        readonly int _entrySize;
        readonly int _count;

        public Sections(byte[] image)
        {
            _image = image;
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (image[4] != 2 || image[5] != 1)
                throw new InvalidDataException("not a 64-bit little-endian ELF file");
            _tableOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(0x28));
            _entrySize = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(0x3A));
            _count = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(0x3C));
            if (_entrySize != 64 || _tableOffset + (long)_count * 64 > image.Length)
                throw new InvalidDataException("truncated or malformed ELF section header table");
        }

        ReadOnlySpan<byte> At(int index) => _image.AsSpan((int)(_tableOffset + index * _entrySize), _entrySize);
        uint Type(int index) => BinaryPrimitives.ReadUInt32LittleEndian(At(index)[4..]);
        public long Offset(int index) => (long)BinaryPrimitives.ReadUInt64LittleEndian(At(index)[24..]);
        public long Size(int index) => (long)BinaryPrimitives.ReadUInt64LittleEndian(At(index)[32..]);
        public int Link(int index) => (int)BinaryPrimitives.ReadUInt32LittleEndian(At(index)[40..]);

        public int Single(uint type, string what)
        {
            var found = -1;
            for (var i = 0; i < _count; i++)
                if (Type(i) == type)
                {
                    if (found >= 0) throw new InvalidDataException($"more than one {what} section");
                    found = i;
                }
            return found >= 0 ? found : throw new InvalidDataException($"no {what} section");
        }

        public string String(int table, uint offset)
        {
            var start = (int)(Offset(table) + offset);
            var end = Array.IndexOf(_image, (byte)0, start);
            return Encoding.ASCII.GetString(_image, start, end - start);
        }
    }
}
