using Atlas.Bot.Storage;

namespace Atlas.Bot.Commands;

/// <summary>How an admin names an analysis (/stats, /unpost): its tracked link, that link's code, or the article's link.</summary>
public static class ItemArgument
{
    /// <summary>A tracked link ({PublicBaseUrl}/r/{code}) stands for its code; anything else is looked up as it is.</summary>
    public static string CodeOf(string wanted) =>
        Uri.TryCreate(wanted, UriKind.Absolute, out var uri)
        && uri.AbsolutePath.TrimEnd('/').Split('/') is [.., "r", var code]
        && LinkCodes.IsWellFormed(code)
            ? code
            : wanted;
}
