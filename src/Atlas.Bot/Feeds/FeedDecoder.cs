using System.Text;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Feeds;

/// <summary>A decoded feed body and the encoding it was read with (for logs).</summary>
public sealed record DecodedFeed(string Text, string EncodingName);

/// <summary>
/// Turns a feed body into text. Order of evidence: byte-order mark, then the HTTP charset, then the XML
/// declaration; a declared legacy charset loses to a body that is in fact valid UTF-8 with non-ASCII
/// bytes, because servers and CMS templates mislabel UTF-8 far more often than the reverse.
/// </summary>
public static partial class FeedDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // UTF-32 LE must be tested before UTF-16 LE: its mark starts with the same two bytes.
    private static readonly (byte[] Mark, Encoding Encoding)[] Marks =
    [
        ([0xEF, 0xBB, 0xBF], Encoding.UTF8),
        ([0xFF, 0xFE, 0x00, 0x00], Encoding.UTF32),
        ([0x00, 0x00, 0xFE, 0xFF], new UTF32Encoding(bigEndian: true, byteOrderMark: true)),
        ([0xFF, 0xFE], Encoding.Unicode),
        ([0xFE, 0xFF], Encoding.BigEndianUnicode),
    ];

    static FeedDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(ReadOnlySpan<byte> body, string? httpCharset) => DecodeWithName(body, httpCharset).Text;

    public static DecodedFeed DecodeWithName(ReadOnlySpan<byte> body, string? httpCharset)
    {
        if (ByteOrderMark(body) is { } bom)
        {
            return Read(body[bom.Preamble.Length..], bom.Encoding);
        }
        if (Utf16WithoutMark(body) is { } utf16)
        {
            return Read(body, utf16);
        }

        var isUtf8 = IsValidUtf8(body, out var hasNonAscii);
        var declared = Named(httpCharset) ?? Named(XmlDeclaredEncoding(body));
        if (declared is null || declared.CodePage == Encoding.UTF8.CodePage)
        {
            return Read(body, isUtf8 ? StrictUtf8 : Fallback(body));
        }
        if (isUtf8 && hasNonAscii && IsSingleOrDoubleByteLegacy(declared))
        {
            return Read(body, StrictUtf8);
        }
        return Read(body, declared);
    }

    private static DecodedFeed Read(ReadOnlySpan<byte> body, Encoding encoding)
    {
        // Decoding with replacement: a stray invalid byte costs one character, not the feed.
        var lenient = Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        return new DecodedFeed(lenient.GetString(body), encoding.WebName);
    }

    private static (Encoding Encoding, byte[] Preamble)? ByteOrderMark(ReadOnlySpan<byte> body)
    {
        foreach (var (mark, encoding) in Marks)
        {
            if (body.StartsWith(mark))
            {
                return (encoding, mark);
            }
        }
        return null;
    }

    // "<?" or "<r" written in UTF-16 without a mark: the zero bytes give it away.
    private static Encoding? Utf16WithoutMark(ReadOnlySpan<byte> body) => body switch
    {
        [(byte)'<', 0, not 0, 0, ..] => Encoding.Unicode,
        [0, (byte)'<', 0, not 0, ..] => Encoding.BigEndianUnicode,
        _ => null,
    };

    private static bool IsValidUtf8(ReadOnlySpan<byte> body, out bool hasNonAscii)
    {
        hasNonAscii = System.Text.Ascii.IsValid(body) is false;
        return !hasNonAscii || System.Text.Unicode.Utf8.IsValid(body);
    }

    private static bool IsSingleOrDoubleByteLegacy(Encoding encoding) =>
        encoding.CodePage is not (1200 or 1201 or 12000 or 12001 or 65000 or 65001);

    private static Encoding? Named(string? name)
    {
        var trimmed = name?.Trim().Trim('"', '\'');
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        try
        {
            return Encoding.GetEncoding(Aliases(trimmed));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // Names seen in the wild that .NET does not know under that spelling.
    private static string Aliases(string name) => name.ToLowerInvariant() switch
    {
        "utf8" => "utf-8",
        "win-1251" or "cp1251" or "windows1251" => "windows-1251",
        "win-1252" or "cp1252" or "windows1252" => "windows-1252",
        "koi8r" => "koi8-r",
        "latin1" or "latin-1" => "iso-8859-1",
        _ => name,
    };

    private static string? XmlDeclaredEncoding(ReadOnlySpan<byte> body)
    {
        // The declaration is ASCII in every ASCII-compatible encoding; 200 bytes covers it with room to spare.
        var head = Encoding.Latin1.GetString(body[..Math.Min(body.Length, 200)]);
        var match = DeclaredEncoding().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>No usable label and not UTF-8: guess among the legacy encodings our readers meet.</summary>
    private static Encoding Fallback(ReadOnlySpan<byte> body) => CyrillicGuess.Guess(body) ?? Encoding.GetEncoding(1252);

    [GeneratedRegex("""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredEncoding();
}
