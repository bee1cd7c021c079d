using System.Text;

namespace Atlas.Bot.Feeds;

/// <summary>
/// Tells windows-1251 from KOI8-R in an unlabelled body. Russian text is mostly lower case, which
/// windows-1251 puts at 0xE0–0xFF and KOI8-R at 0xC0–0xDF; Latin-1 text is told apart because its
/// words mix ASCII letters with the accented ones, while Cyrillic words are made of high bytes only.
/// </summary>
internal static class CyrillicGuess
{
    public static Encoding? Guess(ReadOnlySpan<byte> body)
    {
        int words = 0, highOnlyWords = 0, upperHalf = 0, lowerHalf = 0;
        var i = 0;
        while (i < body.Length)
        {
            if (!IsLetterByte(body[i]))
            {
                i++;
                continue;
            }
            var allHigh = true;
            var start = i;
            for (; i < body.Length && IsLetterByte(body[i]); i++)
            {
                allHigh &= body[i] >= 0xC0;
                if (body[i] >= 0xE0)
                {
                    upperHalf++;
                }
                else if (body[i] >= 0xC0)
                {
                    lowerHalf++;
                }
            }
            words++;
            if (allHigh && i - start >= 2)
            {
                highOnlyWords++;
            }
        }

        if (highOnlyWords < 3 || highOnlyWords * 5 < words)
        {
            return null;
        }
        return Encoding.GetEncoding(upperHalf >= lowerHalf ? "windows-1251" : "koi8-r");
    }

    private static bool IsLetterByte(byte b) => char.IsAsciiLetter((char)b) || b >= 0xC0;
}
