//! Where things go on screen: shared by the view (to draw) and by update (to
//! map a mouse click to a row), so both always agree.

use ratatui::layout::Rect;

pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    /// The column titles of the list.
    pub columns: Rect,
    pub list: Rect,
    /// Overlays (detail, YAML, help) cover columns + list.
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

pub fn areas(width: u16, height: u16) -> Areas {
    areas_with(width, height, 1)
}

/// The areas with a status line of `status_rows` rows (a long notice
/// wraps), taken from the list.
pub fn areas_with(width: u16, height: u16, status_rows: u16) -> Areas {
    let status_rows = status_rows.clamp(1, height.saturating_sub(5).max(1));
    let line = |y: u16| {
        Rect::new(
            0,
            y.min(height.saturating_sub(1)),
            width,
            u16::from(y < height),
        )
    };
    let extra = status_rows - 1;
    let list_height = height.saturating_sub(5 + extra);
    Areas {
        header: line(0),
        tabs: line(1),
        columns: line(2),
        list: Rect::new(0, 3.min(height), width, list_height),
        body: Rect::new(0, 2.min(height), width, height.saturating_sub(4 + extra)),
        status: Rect::new(
            0,
            height.saturating_sub(2 + extra),
            width,
            if height >= 2 + extra { status_rows } else { 0 },
        ),
        footer: line(height.saturating_sub(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_stack_without_overlap_and_survive_tiny_terminals() {
        let a = areas(80, 24);
        assert_eq!((a.header.y, a.tabs.y, a.columns.y, a.list.y), (0, 1, 2, 3));
        assert_eq!(a.list.height, 19);
        assert_eq!((a.status.y, a.footer.y), (22, 23));
        let tiny = areas(10, 2);
        assert_eq!(tiny.list.height, 0);
        let _ = areas(0, 0);
        let _ = areas_with(10, 3, 4);
    }

    #[test]
    fn a_taller_status_line_takes_rows_from_the_list() {
        let a = areas_with(80, 24, 3);
        assert_eq!(a.list.height, 17);
        assert_eq!((a.status.y, a.status.height, a.footer.y), (20, 3, 23));
        assert_eq!(a.body.y + a.body.height, a.status.y);
    }
}
