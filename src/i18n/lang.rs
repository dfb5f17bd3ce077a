//! Which language to speak: the browser's preference list, or an explicit `lang` parameter.

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese as written in mainland China.
    ZhCn,
}

impl Lang {
    /// Every language, in the order the language control lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP-47 tag, for `<html lang>` and the `lang` URL parameter.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's name in itself, for the language control.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language a `lang` URL parameter (or a remembered choice) names: exactly one of the
    /// tags [`Lang::tag`] writes, compared without regard to case, because links are typed by
    /// hand. Anything else is not a choice, and the caller falls back to the browser's list.
    pub fn from_param(value: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag().eq_ignore_ascii_case(value.trim()))
    }

    /// The language one BCP-47 tag asks for, if it is one of ours.
    ///
    /// Any tag whose primary subtag is `zh` is Chinese, and every Chinese reader reads the
    /// Simplified text, so `zh`, `zh-CN`, `zh-Hans`, `zh-SG`, and also `zh-TW`, `zh-HK` and
    /// `zh-Hant` get it: the playground has no Traditional text, and Simplified Chinese is far
    /// easier for a Traditional reader than English is. When a Traditional translation is added it
    /// becomes a variant of its own and those tags move to it.
    fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// The language for a browser whose preferences are `languages` (`navigator.languages`, most
/// preferred first): the first entry that is one of ours wins, so a reader who puts English
/// before Chinese gets English; with none of ours the interface speaks English.
pub fn negotiate(languages: &[&str]) -> Lang {
    languages.iter().find_map(|tag| Lang::of_tag(tag)).unwrap_or_default()
}
