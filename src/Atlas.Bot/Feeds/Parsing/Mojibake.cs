using System.Text;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// Undoes two encoding accidents that leave tell-tale C1 control characters (U+0080–U+009F, never real
/// text): UTF-8 bytes read as Latin-1 ("â\u0080¦" for "…"), and windows-1252 punctuation stored as
/// Latin-1 code points ("don\u0092t" for "don’t"). Text without C1 characters is returned untouched.
/// </summary>
internal static class Mojibake
{
    private static readonly Encoding Windows1252 = CodePages(1252);

    public static string Repair(string text)
    {
        if (!text.Any(IsC1))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (Utf8ReadAsLatin1(text, i) is var (decoded, length))
            {
                builder.Append(decoded);
                i += length;
            }
            else
            {
                builder.Append(IsC1(text[i]) ? Windows1252.GetString([(byte)text[i]]) : text[i].ToString());
                i++;
            }
        }
        return builder.ToString();
    }

    private static (string Decoded, int Length)? Utf8ReadAsLatin1(string text, int start)
    {
        var lead = text[start];
        var length = lead switch
        {
            >= '\u00C2' and <= '\u00DF' => 2,
            >= '\u00E0' and <= '\u00EF' => 3,
            >= '\u00F0' and <= '\u00F4' => 4,
            _ => 0,
        };
        if (length == 0 || start + length > text.Length)
        {
            return null;
        }
        var bytes = new byte[length];
        var hasC1 = false;
        for (var k = 0; k < length; k++)
        {
            var c = text[start + k];
            if (c > '\u00FF' || (k > 0 && c is < '\u0080' or > '\u00BF'))
            {
                return null;
            }
            hasC1 |= IsC1(c);
            bytes[k] = (byte)c;
        }
        // Only sequences with a C1 character are certainly accidents; "Ã©" alone could be meant.
        return hasC1 && System.Text.Unicode.Utf8.IsValid(bytes) ? (Encoding.UTF8.GetString(bytes), length) : null;
    }

    private static bool IsC1(char c) => c is >= '\u0080' and <= '\u009F';

    private static Encoding CodePages(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }
}
