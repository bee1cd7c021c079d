using System.Security.Cryptography;
using System.Text;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>What makes an item the same item next time: guid/id, else its link, else a hash of what it says.</summary>
internal static class ItemIdentity
{
    public static string Of(string? declaredId, string? link, string title, string? body)
    {
        if (!string.IsNullOrWhiteSpace(declaredId))
        {
            return declaredId.Trim();
        }
        if (!string.IsNullOrWhiteSpace(link))
        {
            return link;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(title + "\n" + body));
        return "sha256:" + Convert.ToHexStringLower(hash);
    }
}
