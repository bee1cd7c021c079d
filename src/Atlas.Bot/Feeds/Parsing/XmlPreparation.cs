using System.Text;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// Makes decoded text safe to hand to an XML reader: the text is already decoded, so the XML
/// declaration's encoding must not be acted on again; the DOCTYPE is removed so no external entity
/// or DTD can ever be fetched, after inlining the plain internal entities some feeds rely on.
/// </summary>
internal static partial class XmlPreparation
{
    private const int MaxInlinedEntities = 64;
    private const int MaxEntityValueLength = 1024;

    /// <summary>
    /// The prepared text, or null when inlining the internal entities would make it longer than
    /// <paramref name="maxLength"/> characters: a small file that uses one entity a million times is an expansion bomb,
    /// however harmless each entity looks.
    /// </summary>
    public static string? Prepare(string text, int maxLength)
    {
        var cleaned = RemoveIllegalCharacters(text).Trim();
        cleaned = XmlDeclaration().Replace(cleaned, string.Empty, 1);
        var doctype = Doctype().Match(cleaned);
        if (!doctype.Success)
        {
            return cleaned;
        }

        var body = cleaned.Remove(doctype.Index, doctype.Length);
        var count = 0;
        foreach (Match entity in InternalEntity().Matches(doctype.Value))
        {
            var value = entity.Groups["value"].Value;
            if (++count > MaxInlinedEntities || value.Length > MaxEntityValueLength || value.Contains('&', StringComparison.Ordinal))
            {
                // Nested references are what entity-expansion bombs are made of: leave them unresolved.
                continue;
            }
            var reference = $"&{entity.Groups["name"].Value};";
            var uses = Occurrences(body, reference);
            if (body.Length + ((long)uses * (value.Length - reference.Length)) > maxLength)
            {
                return null;
            }

            body = body.Replace(reference, value, StringComparison.Ordinal);
        }
        return body;
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Drops characters XML 1.0 forbids (control characters, unpaired surrogates); they carry no text.</summary>
    private static string RemoveIllegalCharacters(string text)
    {
        if (!text.Any(c => !IsLegal(c) || char.IsSurrogate(c)))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (IsLegal(c) && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static bool IsLegal(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF' && c != '\uFEFF');

    [GeneratedRegex(@"<\?xml\s[^>]*\?>", RegexOptions.CultureInvariant)]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    [GeneratedRegex("""<!ENTITY\s+(?<name>[A-Za-z_][\w.-]*)\s+(?:"(?<value>[^"]*)"|'(?<value>[^']*)')\s*>""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex InternalEntity();
}
