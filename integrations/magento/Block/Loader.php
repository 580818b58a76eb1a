<?php
declare(strict_types=1);

namespace Finframe\Elements\Block;

use Magento\Framework\View\Element\Template;
use Magento\Store\Model\ScopeInterface;

/**
 * finframe's one module script, once per page (layout: default.xml, hyva_default.xml), for elements
 * written into theme templates or added later by scripts. The widgets load it themselves too: a
 * module script is evaluated once per URL however often a page names it.
 */
class Loader extends Template
{
    /**
     * The file a page loads, from this module's view/frontend/web/js/ (every dist/cdn/*.js, copied flat).
     * loader.js (about 1 kB) registers each element where it appears and imports its chunk from beside it; finframe.js (everything) is copied too.
     */
    public const ENTRY = 'loader.js';

    public const XML_PATH_LOAD_ON_EVERY_PAGE = 'finframe/general/load_on_every_page';

    /** @var string */
    protected $_template = 'Finframe_Elements::loader.phtml';

    /**
     * The entry's URL in the store's static files (signed, on a CDN if the store uses one).
     */
    public function getLoaderUrl(): string
    {
        return $this->getViewFileUrl('Finframe_Elements::js/' . self::ENTRY);
    }

    /**
     * Whether the admin wants the script on every page (Stores > Configuration > Services > finframe).
     */
    public function isEnabled(): bool
    {
        return $this->_scopeConfig->isSetFlag(self::XML_PATH_LOAD_ON_EVERY_PAGE, ScopeInterface::SCOPE_STORE);
    }
}
